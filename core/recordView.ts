import type {
  AllergyIntolerance,
  CarePlan,
  Condition,
  Consent,
  Flag,
  MedicationStatement,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { type CarePlanKind, CARE_PLAN_KINDS, SNOMED_CPR, SYSTEMS } from './fhirCodes';
import { addressText, codeIn, conceptText, displayName, hasCoding } from './fhirText';
import type {
  AlertView,
  AllergyView,
  CarePlanView,
  ListItemView,
  PatientRecordView,
  PatientSummary,
  ResuscitationView,
} from '../contract/views';

/** A resource as the local store holds it: the central record's copy and when it last confirmed it. */
export type CachedResource<R extends Resource = Resource> = Readonly<{ resource: R; syncedAt: string }>;

export type RecordViewOptions = Readonly<{
  now: Date;
  isOffline: boolean;
  /** Safety-critical items not confirmed for longer than this show "may have changed". */
  staleAfterMs: number;
}>;

/** Default freshness threshold: a shift (12 hours). */
export const DEFAULT_STALE_AFTER_MS = 12 * 60 * 60 * 1000;

const isStale = (syncedAt: string, options: RecordViewOptions): boolean =>
  options.now.getTime() - Date.parse(syncedAt) > options.staleAfterMs;

export function patientSummary(patient: Patient): PatientSummary {
  const nhsNumber = patient.identifier?.find((i) => i.system === SYSTEMS.nhsNumber)?.value ?? null;
  return {
    patientId: patient.id ?? '',
    nhsNumber,
    name: displayName(patient.name),
    birthDate: patient.birthDate ?? null,
    gender: patient.gender ?? null,
    address: addressText(patient.address),
  };
}

const isCprCode = (consent: Consent): boolean =>
  (consent.provision?.code ?? []).some((c) => hasCoding(c, SYSTEMS.snomed, SNOMED_CPR));

/**
 * The resuscitation decision that applies now: the most recent active Consent about CPR.
 * Absence is reported as "none-recorded", never as a decision.
 */
export function resuscitationView(
  consents: readonly CachedResource<Consent>[],
  options: RecordViewOptions,
  /** When the central record last confirmed this patient's record: the age of "none recorded". */
  recordSyncedAt: string | null = null,
): ResuscitationView {
  const active = consents
    .filter(({ resource }) => resource.status === 'active' && isCprCode(resource))
    .sort((a, b) => (b.resource.dateTime ?? '').localeCompare(a.resource.dateTime ?? ''));
  const current = active[0];
  if (!current) {
    return {
      status: 'none-recorded',
      headline: 'No resuscitation decision recorded',
      decidedAt: null,
      decidedBy: null,
      note: null,
      syncedAt: recordSyncedAt,
      isPossiblyStale: recordSyncedAt ? isStale(recordSyncedAt, options) : true,
    };
  }
  const consent = current.resource;
  const kind = codeIn(consent.category, SYSTEMS.resusDecision);
  const isDeny = consent.provision?.type === 'deny';
  const status = kind === 'dnacpr' || (kind !== 'respect' && isDeny) ? 'dnacpr' : isDeny ? 'respect-not-for-cpr' : 'respect-for-cpr';
  const headline = {
    dnacpr: 'DNACPR: do not attempt CPR',
    'respect-not-for-cpr': 'ReSPECT: CPR not recommended',
    'respect-for-cpr': 'ReSPECT: for CPR',
  }[status];
  return {
    status,
    headline,
    decidedAt: consent.dateTime ?? null,
    decidedBy: consent.performer?.[0]?.display ?? null,
    note: consent.extension?.find((e) => e.url === SYSTEMS.decisionNote)?.valueString ?? null,
    syncedAt: current.syncedAt,
    isPossiblyStale: isStale(current.syncedAt, options),
  };
}

function alertView({ resource, syncedAt }: CachedResource<Flag>, options: RecordViewOptions): AlertView {
  const category = codeIn(resource.category, SYSTEMS.flagCategory) ?? 'other';
  return {
    id: resource.id ?? '',
    category,
    text: conceptText(resource.code) ?? 'Alert (no text recorded)',
    isSafetyWarning: category === 'safety' || category === 'behavioral',
    syncedAt,
    isPossiblyStale: isStale(syncedAt, options),
  };
}

function allergyView({ resource, syncedAt }: CachedResource<AllergyIntolerance>, options: RecordViewOptions): AllergyView {
  const manifestation = resource.reaction?.[0]?.manifestation?.[0];
  return {
    id: resource.id ?? '',
    substance: conceptText(resource.code) ?? 'Substance not recorded',
    reaction: conceptText(manifestation) ?? null,
    criticality: resource.criticality ?? null,
    syncedAt,
    isPossiblyStale: isStale(syncedAt, options),
  };
}

function carePlanView({ resource, syncedAt }: CachedResource<CarePlan>, options: RecordViewOptions): CarePlanView {
  const code = codeIn(resource.category, SYSTEMS.carePlanKind);
  const kind = (CARE_PLAN_KINDS as readonly string[]).includes(code ?? '') ? (code as CarePlanKind) : null;
  return {
    id: resource.id ?? '',
    kind,
    title: resource.title ?? 'Care plan',
    description: resource.description ?? '',
    activities: (resource.activity ?? []).map((a) => a.detail?.description).filter((d): d is string => Boolean(d)),
    author: resource.author?.display ?? null,
    syncedAt,
    isPossiblyStale: isStale(syncedAt, options),
  };
}

function listItem(id: string | undefined, text: string | null, detail: string | null, syncedAt: string, options: RecordViewOptions): ListItemView {
  return { id: id ?? '', text: text ?? 'Not recorded', detail, syncedAt, isPossiblyStale: isStale(syncedAt, options) };
}

const isActiveClinical = (status: { coding?: { code?: string }[] } | undefined): boolean =>
  !status?.coding?.length || status.coding.some((c) => c.code === 'active' || c.code === 'recurrence' || c.code === 'relapse');

/** Builds the crew's view of one patient from cached resources, resuscitation decision first. */
export function buildPatientRecordView(
  patient: CachedResource<Patient>,
  resources: readonly CachedResource[],
  options: RecordViewOptions,
): PatientRecordView {
  const ofType = <R extends Resource>(type: R['resourceType']) =>
    resources.filter((r): r is CachedResource<R> => r.resource.resourceType === type);
  const alerts = ofType<Flag>('Flag')
    .filter((r) => r.resource.status === 'active')
    .map((r) => alertView(r, options))
    .sort((a, b) => Number(b.isSafetyWarning) - Number(a.isSafetyWarning));
  const syncedTimes = resources.map((r) => r.syncedAt).concat(patient.syncedAt);
  return {
    patient: patientSummary(patient.resource),
    resuscitation: resuscitationView(ofType<Consent>('Consent'), options, patient.syncedAt),
    alerts,
    allergies: ofType<AllergyIntolerance>('AllergyIntolerance')
      .filter((r) => isActiveClinical(r.resource.clinicalStatus))
      .map((r) => allergyView(r, options)),
    carePlans: ofType<CarePlan>('CarePlan')
      .filter((r) => r.resource.status === 'active')
      .map((r) => carePlanView(r, options)),
    medications: ofType<MedicationStatement>('MedicationStatement')
      .filter((r) => r.resource.status === 'active')
      .map((r) => listItem(r.resource.id, conceptText(r.resource.medicationCodeableConcept), r.resource.dosage?.[0]?.text ?? null, r.syncedAt, options)),
    conditions: ofType<Condition>('Condition')
      .filter((r) => isActiveClinical(r.resource.clinicalStatus))
      .map((r) => listItem(r.resource.id, conceptText(r.resource.code), null, r.syncedAt, options)),
    // The record is as fresh as its least recently confirmed part.
    syncedAt: syncedTimes.sort()[0] ?? null,
    isOffline: options.isOffline,
  };
}
