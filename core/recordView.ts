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
} from './views';

/** A resource as the local store holds it: the central record's copy and when it last confirmed it. */
export type CachedResource<R extends Resource = Resource> = Readonly<{ resource: R; syncedAt: string }>;

/** Facts about a patient's cached record that are not resources (ResourceRepo.recordViewFacts). */
export type RecordViewFacts = Readonly<{
  /**
   * Server time a completed Consent pull last covered this patient; null: never. Only this can
   * date "no resuscitation decision recorded" (the Patient is re-stamped every run regardless).
   */
  consentConfirmedAt?: string | null;
  /** Safety-tier resource types with a resource for this patient that failed validation and was set aside. */
  unreadableTypes?: readonly string[];
  /**
   * Issue #11: server time a completed pull last covered this patient, per resource type (a type
   * absent: never confirmed). An item's "confirmed at" is the later of this and its own syncedAt.
   */
  confirmedAtByType?: Readonly<Record<string, string>>;
  /**
   * Issue #11: what the central record holds for this patient that this device does not cache:
   * resources labelled restricted/very restricted (meta.security R or V), or everything beyond the
   * demographics when the patient's Consent records an objection to sharing.
   */
  withheld?: Readonly<{ reason: 'restricted' | 'sharing-objection'; count: number; types: readonly string[] }> | null;
}>;

export type RecordViewOptions = Readonly<{
  now: Date;
  isOffline: boolean;
  /** Safety-critical items not confirmed for longer than this show "may have changed". */
  staleAfterMs: number;
}> & RecordViewFacts;

/** Default freshness threshold: a shift (12 hours). */
export const DEFAULT_STALE_AFTER_MS = 12 * 60 * 60 * 1000;

/** A time that cannot be read is stale: "may have changed" is the safe reading of "unknown". */
const isStale = (syncedAt: string, options: RecordViewOptions): boolean => {
  const at = Date.parse(syncedAt);
  return !Number.isFinite(at) || !(options.now.getTime() - at <= options.staleAfterMs);
};

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

/** A decision whose provision period has ended no longer applies (an undated or unreadable end does not end it). */
const hasEnded = (consent: Consent, now: Date): boolean => {
  const end = Date.parse(consent.provision?.period?.end ?? '');
  return Number.isFinite(end) && end < now.getTime();
};

/** Newest first by instant; undated or unreadable dates last (string order misreads time zones and partial dates). */
const decidedMs = (consent: Consent): number => {
  const ms = Date.parse(consent.dateTime ?? '');
  return Number.isFinite(ms) ? ms : -Infinity;
};

type DecisionStatus = 'dnacpr' | 'respect-not-for-cpr' | 'respect-for-cpr';

function decisionStatus(consent: Consent): DecisionStatus {
  const kind = codeIn(consent.category, SYSTEMS.resusDecision);
  const isDeny = consent.provision?.type === 'deny';
  return kind === 'dnacpr' || (kind !== 'respect' && isDeny) ? 'dnacpr' : isDeny ? 'respect-not-for-cpr' : 'respect-for-cpr';
}

const DECISION_HEADLINES: Readonly<Record<DecisionStatus, string>> = {
  dnacpr: 'DNACPR: do not attempt CPR',
  'respect-not-for-cpr': 'ReSPECT: CPR not recommended',
  'respect-for-cpr': 'ReSPECT: for CPR',
};

/** Not one decision: no decider, date or note to show, and always "check" (isPossiblyStale). */
const undecided = (status: ResuscitationView['status'], headline: string, syncedAt: string | null, note: string | null = null): ResuscitationView => ({
  status,
  headline,
  decidedAt: null,
  decidedBy: null,
  note,
  syncedAt,
  isPossiblyStale: true,
});

/**
 * The resuscitation decision that applies now: the active, unexpired Consent about CPR. Anything
 * short of one clear decision says so and never reads as a decision or as a confirmed absence:
 * a Consent that could not be read ('unreadable'), active decisions that disagree ('conflicting'),
 * and no decision when the patient's Consents were never fetched complete ('not-yet-confirmed').
 * "None recorded" is dated by options.consentConfirmedAt, when the Consent pull last covered them.
 */
export function resuscitationView(consents: readonly CachedResource<Consent>[], options: RecordViewOptions): ResuscitationView {
  const active = consents
    .filter(({ resource }) => resource.status === 'active' && isCprCode(resource) && !hasEnded(resource, options.now))
    .sort((a, b) => decidedMs(b.resource) - decidedMs(a.resource));
  const current = active[0];
  const confirmedAt = options.consentConfirmedAt ?? null;
  if (options.unreadableTypes?.includes('Consent')) {
    // The unreadable record may be the newest decision: show none of the readable ones as "the" decision.
    const also = current ? `A readable record says: ${DECISION_HEADLINES[decisionStatus(current.resource)]}.` : null;
    return undecided('unreadable', 'A resuscitation record could not be read — check other sources', current?.syncedAt ?? confirmedAt, also);
  }
  const statuses = new Set(active.map((c) => decisionStatus(c.resource)));
  if (statuses.has('respect-for-cpr') && (statuses.has('dnacpr') || statuses.has('respect-not-for-cpr'))) {
    const oldest = active.map((c) => c.syncedAt).sort()[0] ?? null;
    return undecided('conflicting', 'Both a for-CPR and a not-for-CPR decision are recorded — check the paper form', oldest);
  }
  if (!current) {
    if (confirmedAt === null) return undecided('not-yet-confirmed', 'Resuscitation decision not yet confirmed — check other sources', null);
    return {
      status: 'none-recorded',
      headline: 'No resuscitation decision recorded',
      decidedAt: null,
      decidedBy: null,
      note: null,
      syncedAt: confirmedAt,
      isPossiblyStale: isStale(confirmedAt, options),
    };
  }
  const consent = current.resource;
  const status = decisionStatus(consent);
  return {
    status,
    headline: DECISION_HEADLINES[status],
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
    resuscitation: resuscitationView(ofType<Consent>('Consent'), options),
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
