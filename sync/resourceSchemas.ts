import { z } from 'zod';
import { type FhirResource, fhirResourceSchema } from './fhirClient';

/**
 * What OnScene needs of each resource type before it may be cached: the fields the record view
 * and the scopes read (FHIR R4 cardinalities and value sets, https://hl7.org/fhir/R4/). Anything
 * else passes through untouched. A resource failing these is quarantined, never stored half-read.
 */
const reference = z.object({ reference: z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/) }).passthrough();
const patientRef = z.object({ reference: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/) }).passthrough();
const concept = z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional() }).passthrough()).optional(), text: z.string().optional() }).passthrough();
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
  Task: z.object({
    status: z.enum(['draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error']),
    intent: z.string(),
    for: reference.optional(),
    owner: reference.optional(),
  }).passthrough(),
};

export type Validated =
  | Readonly<{ isValid: true; resource: FhirResource & { meta: { lastUpdated: string; versionId?: string } } }>
  /** Identity when readable, and issue paths only: never the offending values (they may be PHI). */
  | Readonly<{ isValid: false; resourceType: string; id: string; issues: string }>;

const issuesText = (error: z.ZodError): string =>
  [...new Set(error.issues.map((i) => `${i.path.join('.') || '(resource)'} ${i.code}`))].slice(0, 8).join('; ');

/** Validates one incoming resource; a resource without a server lastUpdated cannot be checkpointed, so it is refused too. */
export function validateIncoming(raw: unknown): Validated {
  const base = fhirResourceSchema.safeParse(raw);
  const ident = raw && typeof raw === 'object' ? (raw as { resourceType?: unknown; id?: unknown }) : {};
  const resourceType = typeof ident.resourceType === 'string' ? ident.resourceType.slice(0, 64) : '';
  const id = typeof ident.id === 'string' ? ident.id.slice(0, 64) : '';
  if (!base.success) return { isValid: false, resourceType, id, issues: issuesText(base.error) };
  const lastUpdated = base.data.meta?.lastUpdated;
  if (!lastUpdated || !instant.safeParse(lastUpdated).success) return { isValid: false, resourceType, id, issues: 'meta.lastUpdated invalid' };
  const specific = BY_TYPE[base.data.resourceType]?.safeParse(raw);
  if (specific && !specific.success) return { isValid: false, resourceType, id, issues: issuesText(specific.error) };
  return { isValid: true, resource: base.data as FhirResource & { meta: { lastUpdated: string; versionId?: string } } };
}

/** Validates a resource recorded on this device before it is queued: the same per-type rules, no server meta needed. */
export function validateOutgoing(raw: unknown): Readonly<{ isValid: true; resource: FhirResource } | { isValid: false; issues: string }> {
  const base = fhirResourceSchema.safeParse(raw);
  if (!base.success) return { isValid: false, issues: issuesText(base.error) };
  const specific = BY_TYPE[base.data.resourceType]?.safeParse(raw);
  if (specific && !specific.success) return { isValid: false, issues: issuesText(specific.error) };
  return { isValid: true, resource: base.data };
}
