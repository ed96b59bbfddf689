import { z } from 'zod';
import { patientIdOf } from '../core/patientLink';
import { type FhirResource, fhirResourceSchema } from './fhirClient';

/**
 * What OnScene needs of each resource type before it may be cached: the fields the record view
 * and the scopes read (FHIR R4 cardinalities and value sets, https://hl7.org/fhir/R4/). Anything
 * else passes through untouched. A resource failing these is quarantined, never stored half-read.
 */
const reference = z.object({ reference: z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/) }).passthrough();
const patientRef = z.object({ reference: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/) }).passthrough();
const concept = z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional() }).passthrough()).optional(), text: z.string().optional() }).passthrough();
/** Any Reference: where R4 allows Patient|Group|... a resource about someone else is simply not kept, never quarantined. */
const anyReference = z.object({}).passthrough();
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

const BY_TYPE: Record<string, z.ZodType> = {
  Patient: z.object({
    birthDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).optional(),
    address: z.array(z.object({ postalCode: z.string().optional() }).passthrough()).optional(),
  }).passthrough(),
  Consent: z.object({
    status: z.enum(['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error']),
    scope: concept,
    patient: patientRef,
  }).passthrough(),
  Flag: z.object({ status: z.enum(['active', 'inactive', 'entered-in-error']), code: concept, subject: patientRef }).passthrough(),
  AllergyIntolerance: z.object({ patient: patientRef }).passthrough(),
  CarePlan: z.object({
    status: z.enum(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']),
    intent: z.string(),
    subject: patientRef,
  }).passthrough(),
  MedicationStatement: z.object({
    status: z.enum(['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken']),
    subject: patientRef,
  }).passthrough(),
  Condition: z.object({ subject: patientRef }).passthrough(),
  Observation: z.object({
    status: z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
    code: concept,
    subject: patientRef,
  }).passthrough(),
  // Issue #11: the other shapes a central record sends. Only what the view and the scopes rely on,
  // at R4's own cardinalities; a reference R4 lets point elsewhere (Group, Device) is not required.
  Encounter: z.object({
    status: z.enum(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']),
    class: z.object({}).passthrough(),
    subject: anyReference.optional(),
  }).passthrough(),
  QuestionnaireResponse: z.object({
    status: z.enum(['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped']),
    subject: anyReference.optional(),
    item: z.array(z.object({ linkId: z.string() }).passthrough()).optional(),
  }).passthrough(),
  MedicationRequest: z.object({
    status: z.enum(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']),
    intent: z.string().min(1),
    subject: anyReference,
  }).passthrough().refine((r) => r.medicationCodeableConcept !== undefined || r.medicationReference !== undefined, {
    message: 'medication[x] missing', path: ['medication[x]'],
  }),
  // Every element of Medication is optional in R4.
  Medication: z.object({ code: concept.optional() }).passthrough(),
  Procedure: z.object({
    status: z.enum(['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown']),
    subject: anyReference,
  }).passthrough(),
  Immunization: z.object({
    status: z.enum(['completed', 'entered-in-error', 'not-done']),
    vaccineCode: concept,
    patient: patientRef,
  }).passthrough(),
  DocumentReference: z.object({
    status: z.enum(['current', 'superseded', 'entered-in-error']),
    subject: anyReference.optional(),
    content: z.array(z.object({ attachment: z.object({}).passthrough() }).passthrough()).min(1),
  }).passthrough(),
  RelatedPerson: z.object({ patient: patientRef }).passthrough(),
  // Issue #14: notes about a care plan; one about no patient (subject a Group) is simply not kept.
  Communication: z.object({
    status: z.enum(['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown']),
    subject: anyReference.optional(),
  }).passthrough(),
  CareTeam: z.object({
    status: z.enum(['proposed', 'active', 'suspended', 'inactive', 'entered-in-error']).optional(),
    subject: anyReference.optional(),
  }).passthrough(),
  Composition: z.object({
    status: z.enum(['preliminary', 'final', 'amended', 'entered-in-error']),
    type: concept,
    subject: patientRef,
    date: z.string().min(4),
    author: z.array(z.object({}).passthrough()).min(1),
    title: z.string().min(1),
  }).passthrough(),
  Task: z.object({
    status: z.enum(['draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error']),
    intent: z.string(),
    for: reference.optional(),
    owner: reference.optional(),
  }).passthrough(),
};

/**
 * What a crew records must be complete even where R4 lets a central record be vague: the
 * Encounter this device writes (issue #12) always has a class code and its patient.
 */
const OUTGOING_BY_TYPE: Record<string, z.ZodType> = {
  ...BY_TYPE,
  Encounter: z.object({
    status: z.enum(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']),
    class: z.object({ code: z.string().min(1) }).passthrough(),
    subject: patientRef,
  }).passthrough(),
};

export type Validated =
  | Readonly<{ isValid: true; resource: FhirResource & { meta: { lastUpdated: string; versionId?: string } } }>
  /**
   * Identity when readable (the patient too, so the record can say something of theirs could not
   * be read), and issue paths only: never the offending values (they may be PHI).
   */
  | Readonly<{ isValid: false; resourceType: string; id: string; patientId: string; issues: string }>;

/** The reference fields OnScene follows to a patient, an owner or a medicine. */
const REFERENCE_FIELDS = ['patient', 'subject', 'for', 'owner', 'medicationReference'] as const;

/**
 * Absolute references to our own server (`<base>/Patient/x`) are valid FHIR
 * (https://hl7.org/fhir/R4/references.html#literal) and mean the same as `Patient/x`: rewrite them
 * relative, so validation, patient links and storage see one form. References elsewhere are left alone.
 */
export function normaliseReferences(raw: unknown, baseUrl: string | undefined): unknown {
  if (!baseUrl || !raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const prefix = `${baseUrl.replace(/\/+$/, '')}/`;
  let out: Record<string, unknown> | null = null;
  for (const field of REFERENCE_FIELDS) {
    const value = (raw as Record<string, unknown>)[field];
    const reference = value && typeof value === 'object' ? (value as { reference?: unknown }).reference : undefined;
    if (typeof reference !== 'string' || !reference.startsWith(prefix)) continue;
    out ??= { ...(raw as Record<string, unknown>) };
    out[field] = { ...(value as object), reference: reference.slice(prefix.length) };
  }
  return out ?? raw;
}

/** The patient a (possibly malformed) resource names, when it can be read; '' otherwise. */
function readablePatientId(raw: unknown): string {
  if (!raw || typeof raw !== 'object') return '';
  const r = raw as Record<string, unknown>;
  const ref = (v: unknown) => (v && typeof v === 'object' && typeof (v as { reference?: unknown }).reference === 'string' ? { reference: (v as { reference: string }).reference } : undefined);
  const resourceType = typeof r.resourceType === 'string' ? r.resourceType : '';
  if (resourceType === 'Patient') return typeof r.id === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(r.id) ? r.id : '';
  return patientIdOf({ resourceType, patient: ref(r.patient), subject: ref(r.subject), for: ref(r.for) } as Parameters<typeof patientIdOf>[0]);
}

const issuesText = (error: z.ZodError): string =>
  [...new Set(error.issues.map((i) => `${i.path.join('.') || '(resource)'} ${i.code}`))].slice(0, 8).join('; ');

/**
 * Validates one incoming resource; a resource without a server lastUpdated cannot be checkpointed,
 * so it is refused too. `baseUrl` (the configured server) lets absolute references to it through.
 */
export function validateIncoming(incoming: unknown, baseUrl?: string): Validated {
  const raw = normaliseReferences(incoming, baseUrl);
  const base = fhirResourceSchema.safeParse(raw);
  const ident = raw && typeof raw === 'object' ? (raw as { resourceType?: unknown; id?: unknown }) : {};
  const resourceType = typeof ident.resourceType === 'string' ? ident.resourceType.slice(0, 64) : '';
  const id = typeof ident.id === 'string' ? ident.id.slice(0, 64) : '';
  const invalid = (issues: string): Validated => ({ isValid: false, resourceType, id, patientId: readablePatientId(raw), issues });
  if (!base.success) return invalid(issuesText(base.error));
  const lastUpdated = base.data.meta?.lastUpdated;
  if (!lastUpdated || !instant.safeParse(lastUpdated).success) return invalid('meta.lastUpdated invalid');
  const specific = BY_TYPE[base.data.resourceType]?.safeParse(raw);
  if (specific && !specific.success) return invalid(issuesText(specific.error));
  return { isValid: true, resource: base.data as FhirResource & { meta: { lastUpdated: string; versionId?: string } } };
}

/** Validates a resource recorded on this device before it is queued: the same per-type rules, no server meta needed. */
export function validateOutgoing(raw: unknown): Readonly<{ isValid: true; resource: FhirResource } | { isValid: false; issues: string }> {
  const base = fhirResourceSchema.safeParse(raw);
  if (!base.success) return { isValid: false, issues: issuesText(base.error) };
  const specific = OUTGOING_BY_TYPE[base.data.resourceType]?.safeParse(raw);
  if (specific && !specific.success) return { isValid: false, issues: issuesText(specific.error) };
  return { isValid: true, resource: base.data };
}
