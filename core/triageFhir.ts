import type {
  Annotation, CodeableConcept, Coding, Composition, CompositionSection, Encounter, EncounterHospitalization, Extension,
  Narrative, Observation, ObservationComponent, Patient, Practitioner, Quantity, Reference,
} from '@medplum/fhirtypes';
import { canonicalJson } from './canonicalJson';
import { SYSTEMS } from './fhirCodes';
import { roundTemperature } from './news2';
import { news2For, parseEntries } from './triageRules';
import { ACVPU_CODES, NEWS2_SUBSCORE_CODES, type ObservationKind, TRIAGE_CODES, TRIAGE_EXTENSIONS, TRIAGE_PROFILES, TRIAGE_SYSTEMS, type TriageFhirContext, concept, loinc } from './triageCodes';
export type { ObservationKind, TriageFhirContext } from './triageCodes';
import type { Disposition, HandoverView, ObservationSetDoc, SetVersion, StaffRef, TriageDoc } from './triageViews';

/**
 * Triage as FHIR R4 / UK Core (issue #12, DESIGN §9): the vital-signs Observations and the NEWS2
 * score of a recorded set, the Encounter, the ATMIST handover Composition and the Patient made for
 * someone not yet identified. Pure: ids are derived, never random; time comes in (`ctx.now`).
 * Every code below was checked against a public source (named beside it); where none was found
 * the concept is carried as text only.
 */

// ---- Observations -----------------------------------------------------------------------------

const SUFFIX = { respirationRate: 'rr', spo2: 'spo2', inspiredOxygen: 'o2', bloodPressure: 'bp', pulse: 'pulse', consciousness: 'acvpu', temperature: 'temp', news2: 'news2' } as const satisfies Record<ObservationKind, string>;
const PARAMETERS = ['respirationRate', 'spo2', 'inspiredOxygen', 'bloodPressure', 'pulse', 'consciousness', 'temperature'] as const;
type Parameter = (typeof PARAMETERS)[number];

/**
 * The FHIR id of each observation a set sends (a 36-character UUID setId gives ids of at most 42).
 * A kind withdrawn (entered-in-error) and recorded again in a later correction gets a new id,
 * `<id>-v<version>`, because a withdrawn resource is never revived (core/appendOnly.ts).
 * @example observationIds('abc').spo2 // 'abc-spo2'
 */
export function observationIds(setId: string): Readonly<Record<ObservationKind, string>> {
  const id = (kind: ObservationKind): string => `${setId}-${SUFFIX[kind]}`;
  return {
    respirationRate: id('respirationRate'), spo2: id('spo2'), inspiredOxygen: id('inspiredOxygen'), bloodPressure: id('bloodPressure'),
    pulse: id('pulse'), consciousness: id('consciousness'), temperature: id('temperature'), news2: id('news2'),
  };
}

/** What one kind says for a version: everything but who, when recorded and status. */
type Content = Readonly<Pick<Observation, 'category' | 'code' | 'valueQuantity' | 'valueCodeableConcept' | 'component' | 'derivedFrom' | 'interpretation'> & { profile: string; notes: readonly Annotation[] }>;
type Sent = Readonly<{ id: string; isLive: boolean; key: string; content: Content; source: SetVersion }>;
type SentState = ReadonlyMap<ObservationKind, Sent>;

const category = (code: 'vital-signs' | 'survey', display: string): CodeableConcept[] => [{ coding: [{ system: TRIAGE_SYSTEMS.observationCategory, code, display }] }];
const VITAL = category('vital-signs', 'Vital Signs');
// UK Core's proposed early-warning-score profile fixes "survey"; ACVPU is a scale score too, and
// "vital-signs" would bring the R4 vital-signs profile's LOINC requirement it cannot meet.
const SURVEY = category('survey', 'Survey');
const quantity = (value: number, unit: string, code: string): Quantity => ({ value, unit, system: TRIAGE_SYSTEMS.ucum, code });
const score = (value: number): Quantity => quantity(value, 'score', '{ScoreOf}'); // UK Core proposed EWS profile: UCUM {ScoreOf}

const staffRef = (staff: StaffRef): Reference<Practitioner> =>
  staff.practitionerId ? { reference: `Practitioner/${staff.practitionerId}`, display: staff.name } : { display: staff.name };
const annotation = (by: StaffRef, time: string, text: string): Annotation =>
  by.practitionerId ? { authorReference: { reference: `Practitioner/${by.practitionerId}`, display: by.name }, time, text } : { authorString: by.name, time, text };

/** The documented 88–92% target that Scale 2 needs (RCP NEWS2 chart 1), as a note. */
function scale2Notes(version: SetVersion): Annotation[] {
  const choice = version.spo2Scale;
  if (choice.scale !== 2) return [];
  const where = choice.documentedBy === 'record' ? "documented in the patient's record" : 'documented by the clinician';
  return [annotation(version.recordedBy, version.recordedAt, `SpO2 Scale 2 used: target range 88–92% ${where}. Reason: ${choice.reason}`)];
}

/** The parameter observations a version records: one per parameter present in its entries. */
function parameterContents(version: SetVersion): Partial<Record<Parameter, Content>> {
  const v = parseEntries(version.entries, version.spo2Scale).values;
  const out: Partial<Record<Parameter, Content>> = {};
  const vital = (code: CodeableConcept, profile: string, valueQuantity: Quantity, notes: Annotation[] = []): Content => ({ profile, category: VITAL, code, valueQuantity, notes });
  if (v.respirationRate != null) out.respirationRate = vital(TRIAGE_CODES.respirationRate, TRIAGE_PROFILES.respirationRate, quantity(v.respirationRate, 'breaths per minute', '/min'));
  if (v.spo2 != null) out.spo2 = vital(TRIAGE_CODES.spo2, TRIAGE_PROFILES.spo2, quantity(v.spo2, 'percent', '%'), scale2Notes(version));
  // Air or oxygen is a finding, so the code says it and there is no value (UK Core InspiredOxygen value set).
  if (v.onOxygen != null) out.inspiredOxygen = { profile: TRIAGE_PROFILES.observation, category: VITAL, code: v.onOxygen ? TRIAGE_CODES.onOxygen : TRIAGE_CODES.onAir, notes: [] };
  if (v.systolicBp != null || v.diastolicBp != null) {
    // Both components always present, a missing one with a data-absent reason (R4 bp profile, vs-3).
    const part = (code: CodeableConcept, value: number | null): ObservationComponent =>
      value === null ? { code, dataAbsentReason: { coding: [{ system: TRIAGE_SYSTEMS.dataAbsentReason, code: 'unknown', display: 'Unknown' }] } } : { code, valueQuantity: quantity(value, 'millimeter of mercury', 'mm[Hg]') };
    out.bloodPressure = { profile: TRIAGE_PROFILES.bloodPressure, category: VITAL, code: TRIAGE_CODES.bloodPressure, component: [part(TRIAGE_CODES.systolic, v.systolicBp ?? null), part(TRIAGE_CODES.diastolic, v.diastolicBp)], notes: [] };
  }
  if (v.pulse != null) out.pulse = vital(TRIAGE_CODES.pulse, TRIAGE_PROFILES.heartRate, quantity(v.pulse, 'per minute', '/min'));
  if (v.consciousness != null) {
    const answer = ACVPU_CODES[v.consciousness];
    out.consciousness = { profile: TRIAGE_PROFILES.observation, category: SURVEY, code: TRIAGE_CODES.consciousness, valueCodeableConcept: { coding: [answer], text: answer.display ?? '' }, notes: [] };
  }
  if (v.temperatureC != null) out.temperature = vital(TRIAGE_CODES.temperature, TRIAGE_PROFILES.temperature, quantity(roundTemperature(v.temperatureC), 'degree Celsius', 'Cel'));
  return out;
}

const BAND_LABELS = { low: 'Low', 'low-medium': 'Low–medium', medium: 'Medium', high: 'High' } as const;

/** The NEWS2 Observation content, only for a complete set; its key also covers every scored input. */
function news2Content(version: SetVersion, derivedFrom: Reference<Observation>[]): { content: Content; inputs: unknown } | null {
  const news2 = news2For(version.entries, version.spo2Scale);
  if (!news2.isComplete) return null;
  const s = news2.subScores;
  const sub = (code: Coding, value: number): ObservationComponent => ({ code: { coding: [code], text: code.display ?? '' }, valueQuantity: score(value) });
  const c = NEWS2_SUBSCORE_CODES;
  const content: Content = {
    profile: TRIAGE_PROFILES.observation,
    category: SURVEY,
    code: TRIAGE_CODES.news2,
    valueQuantity: score(news2.total),
    component: [
      sub(c.respirationRate, s.respirationRate), sub(version.spo2Scale.scale === 2 ? c.spo2Scale2 : c.spo2Scale1, s.spo2), sub(c.onOxygen, s.onOxygen),
      sub(c.systolicBp, s.systolicBp), sub(c.pulse, s.pulse), sub(c.consciousness, s.consciousness), sub(c.temperature, s.temperature),
    ],
    derivedFrom,
    // ObservationInterpretation (extensible) has no clinical-risk bands: our own code, and the RCP response as text.
    interpretation: [{ coding: [{ system: TRIAGE_SYSTEMS.news2Band, code: news2.band, display: `${BAND_LABELS[news2.band]} clinical risk` }], text: news2.response }],
    notes: scale2Notes(version),
  };
  const { diastolicBp: _unscored, ...inputs } = parseEntries(version.entries, version.spo2Scale).values;
  return { content, inputs };
}

function observationOf(triage: TriageDoc, sent: Sent, now: SetVersion, status: Observation['status'], note: Annotation | null): Observation {
  const { profile, notes, ...clinical } = sent.content;
  const allNotes = [...notes, ...(note ? [note] : [])];
  return {
    resourceType: 'Observation',
    id: sent.id,
    meta: { profile: [profile] },
    status,
    ...clinical,
    subject: { reference: `Patient/${triage.patientId}` },
    encounter: { reference: `Encounter/${triage.triageId}` },
    effectiveDateTime: sent.source.takenAt,
    issued: now.recordedAt,
    performer: [staffRef(sent.source.recordedBy)],
    ...(allNotes.length ? { note: allNotes } : {}),
  };
}

/** One recorded version applied to what the earlier versions sent: the resources to send, and what stands after. */
function step(triage: TriageDoc, setId: string, before: SentState, version: SetVersion): { resources: Observation[]; after: SentState } {
  const after = new Map(before);
  const resources: Observation[] = [];
  const isCorrection = before.size > 0 || version.status !== 'final';
  const reason = version.reason?.trim() || 'no reason given';
  const note = !isCorrection ? null : annotation(version.recordedBy, version.recordedAt, version.status === 'entered-in-error' ? `Entered in error: ${reason}` : `Corrected: ${reason}`);
  const base = observationIds(setId);
  const withdraw = (kind: ObservationKind, prior: Sent) => {
    after.set(kind, { ...prior, isLive: false });
    resources.push(observationOf(triage, prior, version, 'entered-in-error', note));
  };
  const reconcile = (kind: ObservationKind, found: { content: Content; inputs?: unknown } | undefined) => {
    const prior = before.get(kind);
    if (!found) return void (prior?.isLive && withdraw(kind, prior));
    const key = canonicalJson({ content: found.content, inputs: found.inputs ?? null, takenAt: version.takenAt });
    if (prior?.isLive && prior.key === key) return;
    const id = prior?.isLive ? prior.id : prior ? `${base[kind]}-v${version.version}` : base[kind];
    const sent: Sent = { id, isLive: true, key, content: found.content, source: version };
    after.set(kind, sent);
    resources.push(observationOf(triage, sent, version, prior?.isLive ? 'amended' : 'final', note));
  };
  if (version.status === 'entered-in-error') {
    for (const [kind, prior] of before) if (prior.isLive) withdraw(kind, prior);
    return { resources, after };
  }
  const contents = parameterContents(version);
  for (const kind of PARAMETERS) reconcile(kind, contents[kind] && { content: contents[kind] });
  const derivedFrom = PARAMETERS.flatMap((k): Reference<Observation>[] => {
    const sent = after.get(k);
    return sent?.isLive ? [{ reference: `Observation/${sent.id}` }] : [];
  });
  reconcile('news2', news2Content(version, derivedFrom) ?? undefined);
  return { resources, after };
}

/**
 * The Observations to send for one recorded version of a set: every parameter (and NEWS2, when the
 * set is complete) for a first version; for a correction only what changed (amended, same id),
 * appeared (final) or disappeared (entered-in-error), each with the reason as a note; for a set
 * entered in error, everything still standing, withdrawn. Earlier versions in `set.versions` (up to
 * `previous`) are replayed so that ids and withdrawn resources are known.
 */
export function setObservations(triage: TriageDoc, set: ObservationSetDoc, version: SetVersion, previous: SetVersion | null): Observation[] {
  const history = previous === null ? [] : set.versions.filter((v) => v.version < previous.version).sort((a, b) => a.version - b.version);
  let state: SentState = new Map();
  for (const earlier of previous === null ? [] : [...history, previous]) state = step(triage, set.setId, state, earlier).after;
  return step(triage, set.setId, state, version).resources;
}

/** Every Observation id a set's recorded versions have used (including re-recorded kinds). */
export function setObservationIds(triage: TriageDoc, set: ObservationSetDoc): string[] {
  const ids = new Set<string>(Object.values(observationIds(set.setId)));
  let state: SentState = new Map();
  for (const version of [...set.versions].sort((a, b) => a.version - b.version)) {
    state = step(triage, set.setId, state, version).after;
    for (const sent of state.values()) ids.add(sent.id);
  }
  return [...ids];
}

// ---- Narrative ---------------------------------------------------------------------------------

/** Text made safe for XHTML narrative: &, <, >, " and ' escaped. */
export const escapeXhtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const narrative = (paragraphs: readonly string[], status: Narrative['status'] = 'generated'): Narrative => ({
  status,
  div: `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs.map((p) => `<p>${escapeXhtml(p)}</p>`).join('')}</div>`,
});

// ---- Encounter ---------------------------------------------------------------------------------

const OUTCOME_LABELS = {
  conveyed: 'Conveyed to hospital', referred: 'Referred', 'home-with-advice': 'Left at home with advice',
  'see-and-treat': 'Treated on scene, not conveyed', declined: 'Declined conveyance', deceased: 'Deceased (recognition of life extinct)',
} as const;
const REFERRAL_LABELS = { gp: 'GP', 'nhs-111': 'NHS 111', 'community-team': 'Community team', 'mental-health-crisis-team': 'Mental health crisis team' } as const;

/**
 * HL7 discharge-disposition codes where one fits (terminology.hl7.org/CodeSystem/discharge-disposition;
 * note "hosp" is hospice, so a hospital is "other-hcf"); "oth" where none says more. Our own
 * code system carries the exact outcome beside it.
 */
const HL7_DISPOSITION = {
  conveyed: ['other-hcf', 'Other healthcare facility'], referred: ['oth', 'Other'], 'home-with-advice': ['home', 'Home'],
  'see-and-treat': ['oth', 'Other'], declined: ['aadvice', 'Left against advice'], deceased: ['exp', 'Expired'],
} as const;

function hospitalizationOf(d: Disposition): EncounterHospitalization | null {
  if (d.outcome === null) return null;
  const [hl7Code, hl7Display] = HL7_DISPOSITION[d.outcome];
  const referral = d.outcome === 'referred' && d.referredTo ? d.referredTo : null;
  const extension: Extension[] = [
    ...(referral ? [{ url: TRIAGE_EXTENSIONS.referralTarget, valueCoding: { system: TRIAGE_SYSTEMS.referralTarget, code: referral, display: REFERRAL_LABELS[referral] } }] : []),
    ...(d.notes ? [{ url: TRIAGE_EXTENSIONS.dispositionNotes, valueString: d.notes }] : []),
  ];
  return {
    ...(extension.length ? { extension } : {}),
    ...(d.outcome === 'conveyed' && d.destination ? { destination: { display: d.destination } } : {}),
    dischargeDisposition: {
      coding: [{ system: TRIAGE_SYSTEMS.dischargeDisposition, code: hl7Code, display: hl7Display }, { system: TRIAGE_SYSTEMS.dispositionOutcome, code: d.outcome, display: OUTCOME_LABELS[d.outcome] }],
      text: referral ? `${OUTCOME_LABELS[d.outcome]} to ${REFERRAL_LABELS[referral]}` : OUTCOME_LABELS[d.outcome],
    },
  };
}

/**
 * The triage Encounter. Class FLD ("field": outside a dedicated care location and outside a
 * residence, e.g. an accident site, v3-ActCode), not EMER, which HL7 defines as care at a dedicated
 * emergency location. The incident: R4 Encounter cannot reference a Task (basedOn is ServiceRequest
 * only), so the Task id goes in `identifier` (indexed by every server, searchable as
 * `Encounter?identifier=https://fhir.onscene.example/Id/incident-task|<id>`) and in an extension
 * holding the literal reference, for readers that follow links. ROLE time is an extension, not
 * period.end (the crew's attendance goes on after it) nor Patient.deceasedDateTime (the central
 * record owns the patient, and ROLE is when death was verified, not when it happened).
 */
export function encounterResource(triage: TriageDoc, ctx: TriageFhirContext): Encounter {
  const d = triage.disposition;
  const hospitalization = hospitalizationOf(d);
  const roleAt = d.outcome === 'deceased' ? d.roleAt : null;
  const extension: Extension[] = [
    ...(triage.incidentId ? [{ url: TRIAGE_EXTENSIONS.incidentTask, valueReference: { reference: `Task/${triage.incidentId}` } }] : []),
    ...(roleAt ? [{ url: TRIAGE_EXTENSIONS.roleTime, valueDateTime: roleAt }] : []),
  ];
  const isFinished = triage.state === 'finished';
  const lines = [
    `Ambulance triage, ${isFinished ? 'finished' : 'in progress'}. Started ${triage.startedAt} by ${triage.startedBy.name}.`,
    ...(hospitalization?.dischargeDisposition?.text ? [`Outcome: ${hospitalization.dischargeDisposition.text}.`] : []),
    ...(hospitalization?.destination?.display ? [`Destination: ${hospitalization.destination.display}.`] : []),
    ...(roleAt ? [`Life recognised as extinct at ${roleAt}.`] : []),
    ...(d.outcome !== null && d.notes ? [`Notes: ${d.notes}`] : []),
  ];
  return {
    resourceType: 'Encounter',
    id: triage.triageId,
    meta: { profile: [TRIAGE_PROFILES.encounter] },
    text: narrative(lines, extension.length || hospitalization?.extension ? 'extensions' : 'generated'),
    ...(extension.length ? { extension } : {}),
    ...(triage.incidentId ? { identifier: [{ system: TRIAGE_SYSTEMS.incidentTask, value: triage.incidentId }] } : {}),
    status: isFinished ? 'finished' : 'in-progress',
    class: { system: TRIAGE_SYSTEMS.actCode, code: 'FLD', display: 'field' },
    // No confirmed SNOMED code for an ambulance triage encounter: text only.
    type: [{ text: 'Ambulance triage' }],
    subject: { reference: `Patient/${triage.patientId}` },
    participant: [{
      type: [{ coding: [{ system: TRIAGE_SYSTEMS.participationType, code: 'PPRF', display: 'primary performer' }] }],
      period: { start: triage.startedAt },
      individual: staffRef(triage.startedBy),
    }],
    period: { start: triage.startedAt, ...(isFinished && triage.finishedAt ? { end: triage.finishedAt } : {}) },
    ...(hospitalization ? { hospitalization } : {}),
    ...(ctx.organizationId ? { serviceProvider: { reference: `Organization/${ctx.organizationId}` } } : {}),
  };
}

// ---- Handover ----------------------------------------------------------------------------------

/**
 * The ATMIST handover as a document: LOINC 18761-7 "Transfer summary note" (the C-CDA Transfer
 * Summary document type), one section per letter with its text as narrative. Sections carry no
 * code: no confirmed code exists for the ATMIST headings.
 */
export function handoverComposition(triage: TriageDoc, handover: HandoverView, status: 'final' | 'amended', ctx: TriageFhirContext): Composition {
  const e = handover.entries;
  const section = (letter: string, heading: string, paragraphs: readonly string[]): CompositionSection => {
    const filled = paragraphs.map((p) => p.trim()).filter((p) => p !== '');
    return { title: `${letter} — ${heading}`, text: narrative(filled.length ? filled : ['Not recorded.']) };
  };
  return {
    resourceType: 'Composition',
    id: `${triage.triageId}-handover`,
    meta: { profile: [TRIAGE_PROFILES.composition] },
    status,
    type: { coding: [loinc('18761-7', 'Transfer summary note')], text: 'ATMIST handover' },
    subject: { reference: `Patient/${triage.patientId}` },
    encounter: { reference: `Encounter/${triage.triageId}` },
    date: ctx.now,
    author: [staffRef(triage.startedBy)],
    title: 'ATMIST handover',
    ...(ctx.organizationId ? { custodian: { reference: `Organization/${ctx.organizationId}` } } : {}),
    section: [
      section('A', 'Age', [handover.age]),
      section('T', 'Time of onset', [e.timeOfOnset]),
      section('M', 'Mechanism or medical complaint', [e.mechanism]),
      section('I', 'Injuries or information', [e.injuries]),
      section('S', 'Signs', [...handover.signs, e.signsNote]),
      section('T', 'Treatment given', [e.treatment]),
    ],
  };
}

// ---- Unidentified patient ----------------------------------------------------------------------

/**
 * A Patient for someone whose identity is not yet known: no NHS number; our temporary identifier;
 * a temporary name describing them; the Extensions Pack's patient-unknownIdentity flag and our tag
 * (so the central record's matching can find them). FHIR has no standard element or extension for
 * an estimated age, so it goes into the name text.
 */
export function unidentifiedPatient(input: Readonly<{ patientId: string; description: string; gender: Patient['gender']; estimatedAge: string; createdAt: string }>): Patient {
  const description = input.description.trim() || 'no description';
  const age = input.estimatedAge.trim();
  const text = `Unknown patient — ${description}${age ? ` (estimated age ${age})` : ''}`;
  return {
    resourceType: 'Patient',
    id: input.patientId,
    meta: {
      profile: [TRIAGE_PROFILES.patient],
      tag: [{ system: TRIAGE_SYSTEMS.recordOrigin, code: 'field-unidentified', display: 'Created in the field for a patient not yet identified' }],
    },
    text: narrative([text], 'extensions'),
    extension: [{ url: TRIAGE_EXTENSIONS.unknownIdentity, valueCodeableConcept: { coding: [{ system: TRIAGE_SYSTEMS.unknownIdentity, code: 'unknown', display: 'Unknown Identity' }] } }],
    identifier: [{ use: 'temp', system: TRIAGE_SYSTEMS.unidentifiedPatient, value: input.patientId, period: { start: input.createdAt } }],
    active: true,
    name: [{ use: 'temp', text, period: { start: input.createdAt } }],
    ...(input.gender ? { gender: input.gender } : {}),
  };
}
