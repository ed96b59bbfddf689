import type { CodeableConcept, Composition, Encounter, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  encounterResource, escapeXhtml, handoverComposition, observationIds, setObservationIds, setObservations, unidentifiedPatient,
} from './triageFhir';
import { news2For } from './triageRules';
import {
  DISPOSITION_OUTCOMES, EMPTY_DISPOSITION, EMPTY_ENTRIES, EMPTY_HANDOVER,
  type Disposition, type HandoverView, type ObservationEntries, type ObservationSetDoc, type SetVersion, type Spo2ScaleChoice, type StaffRef, type TriageDoc,
} from './triageViews';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const UK = 'https://fhir.hl7.org.uk/StructureDefinition/';

const SET_ID = '0d4c8a55-6a4c-4f0e-9a33-2f1a6a1c9b11';
const PARAMEDIC: StaffRef = { userId: 'u-1', name: 'Sam Patel', practitionerId: 'prac-1' };
const STUDENT: StaffRef = { userId: 'u-2', name: 'Alex Jones', practitionerId: null };
const SCALE_1: Spo2ScaleChoice = { scale: 1 };
const SCALE_2: Spo2ScaleChoice = { scale: 2, documentedBy: 'record', reason: 'COPD care plan' };
const only = (entries: Partial<ObservationEntries>): ObservationEntries => ({ ...EMPTY_ENTRIES, ...entries });
/** RR 2 + SpO2 1 + oxygen 2 + systolic 0 + pulse 1 + alert 0 + temperature 1 = 7. */
const FULL = only({ respirationRate: '22', spo2: '94', onOxygen: true, systolicBp: '128', diastolicBp: '80', pulse: '104', consciousness: 'A', temperatureC: '38.4' });

const TRIAGE: TriageDoc = {
  triageId: 'enc-7f3b2c1d',
  patientId: 'pat-42',
  incidentId: 'task-99',
  isUnidentified: false,
  startedAt: '2024-05-01T10:00:00Z',
  startedBy: PARAMEDIC,
  state: 'in-progress',
  finishedAt: null,
  sets: [],
  disposition: EMPTY_DISPOSITION,
  handover: EMPTY_HANDOVER,
  encounterVersion: 0,
  handoverVersion: 0,
  unqueued: [],
  updatedAt: '2024-05-01T10:00:00Z',
};
const CTX = { organizationId: 'org-lon', now: '2024-05-01T11:00:00Z' } as const;

function version(n: number, entries: ObservationEntries, extra: Partial<SetVersion> = {}): SetVersion {
  return {
    version: n, status: n === 1 ? 'final' : 'amended', entries, spo2Scale: SCALE_1, takenAt: '2024-05-01T10:05:00Z',
    recordedAt: `2024-05-01T10:${String(5 + n).padStart(2, '0')}:30Z`, recordedBy: PARAMEDIC, reason: n === 1 ? null : `Reason ${n}`, ...extra,
  };
}
const setOf = (versions: SetVersion[]): ObservationSetDoc => ({
  setId: SET_ID, takenAt: '2024-05-01T10:05:00Z', takenBy: PARAMEDIC, entries: versions.at(-1)?.entries ?? EMPTY_ENTRIES,
  spo2Scale: SCALE_1, savedAt: '2024-05-01T10:06:00Z', versions, isCorrecting: false,
});
/** Observations for the last of `versions`, as the service would call it. */
function record(...versions: SetVersion[]): Observation[] {
  const last = versions.at(-1);
  if (!last) throw new Error('no version');
  return setObservations(TRIAGE, setOf(versions), last, versions.at(-2) ?? null);
}
const IDS = observationIds(SET_ID);
function byId(observations: readonly Observation[], id: string): Observation {
  const found = observations.find((o) => o.id === id);
  if (!found) throw new Error(`no observation ${id} among ${observations.map((o) => o.id).join(', ')}`);
  return found;
}
const codings = (concept: CodeableConcept | undefined) => (concept?.coding ?? []).map((c) => `${c.system}|${c.code}`);

/** The R4 required elements (1..1) of each resource type produced here. */
function expectR4Required(resource: Resource): void {
  expect(resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
  switch (resource.resourceType) {
    case 'Observation':
      expect(resource.status).toBeTruthy();
      expect(resource.code.coding?.length ?? resource.code.text).toBeTruthy();
      break;
    case 'Encounter':
      expect(resource.status).toBeTruthy();
      expect(resource.class.code).toBeTruthy();
      break;
    case 'Composition':
      expect(resource.status).toBeTruthy();
      expect(resource.type.coding?.length).toBeGreaterThan(0);
      expect(resource.date).toBeTruthy();
      expect(resource.author.length).toBeGreaterThan(0);
      expect(resource.title).toBeTruthy();
      break;
    case 'Patient':
      break;
    default:
      throw new Error(`unexpected ${resource.resourceType}`);
  }
}

describe('observationIds', () => {
  it('gives one deterministic FHIR id per kind', () => {
    expect(IDS).toEqual({
      respirationRate: `${SET_ID}-rr`, spo2: `${SET_ID}-spo2`, inspiredOxygen: `${SET_ID}-o2`, bloodPressure: `${SET_ID}-bp`,
      pulse: `${SET_ID}-pulse`, consciousness: `${SET_ID}-acvpu`, temperature: `${SET_ID}-temp`, news2: `${SET_ID}-news2`,
    });
    for (const id of Object.values(IDS)) expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(observationIds(SET_ID)).toEqual(IDS);
  });
});

describe('setObservations: first version', () => {
  const sent = record(version(1, FULL));

  it('sends every parameter and the NEWS2 score, final, linked to patient, encounter and clinician', () => {
    expect(sent.map((o) => o.id).sort()).toEqual(Object.values(IDS).sort());
    for (const o of sent) {
      expectR4Required(o);
      expect(o.status).toBe('final');
      expect(o.subject).toEqual({ reference: 'Patient/pat-42' });
      expect(o.encounter).toEqual({ reference: 'Encounter/enc-7f3b2c1d' });
      expect(o.effectiveDateTime).toBe('2024-05-01T10:05:00Z');
      expect(o.issued).toBe('2024-05-01T10:06:30Z');
      expect(o.performer).toEqual([{ reference: 'Practitioner/prac-1', display: 'Sam Patel' }]);
      expect(o.note).toBeUndefined();
    }
  });

  it('codes respiration rate, SpO2, pulse and temperature with LOINC, SNOMED CT and UCUM', () => {
    const cases = [
      [IDS.respirationRate, [`${LOINC}|9279-1`, `${SNOMED}|86290005`], 22, '/min', 'UKCore-Observation-VitalSigns-RespirationRate'],
      [IDS.spo2, [`${LOINC}|2708-6`, `${LOINC}|59408-5`, `${SNOMED}|431314004`], 94, '%', 'UKCore-Observation-VitalSigns-OxygenSaturation'],
      [IDS.pulse, [`${LOINC}|8867-4`, `${SNOMED}|78564009`], 104, '/min', 'UKCore-Observation-VitalSigns-HeartRate'],
      [IDS.temperature, [`${LOINC}|8310-5`, `${SNOMED}|276885007`], 38.4, 'Cel', 'UKCore-Observation-VitalSigns-BodyTemperature'],
    ] as const;
    for (const [id, codes, value, unit, profile] of cases) {
      const o = byId(sent, id);
      expect(codings(o.code)).toEqual(codes);
      expect(o.valueQuantity).toMatchObject({ value, system: UCUM, code: unit });
      expect(typeof o.valueQuantity?.value).toBe('number');
      expect(o.meta?.profile).toEqual([`${UK}${profile}`]);
      expect(codings(o.category?.[0])).toEqual([`${CATEGORY}|vital-signs`]);
    }
  });

  it('records blood pressure as a panel with systolic and diastolic components in mm[Hg]', () => {
    const bp = byId(sent, IDS.bloodPressure);
    expect(codings(bp.code)).toEqual([`${LOINC}|85354-9`, `${SNOMED}|75367002`]);
    expect(bp.valueQuantity).toBeUndefined();
    expect(bp.component?.map((c) => [c.code.text, codings(c.code), c.valueQuantity])).toEqual([
      ['Systolic blood pressure', [`${LOINC}|8480-6`, `${SNOMED}|271649006`], { value: 128, unit: 'millimeter of mercury', system: UCUM, code: 'mm[Hg]' }],
      ['Diastolic blood pressure', [`${LOINC}|8462-4`, `${SNOMED}|271650006`], { value: 80, unit: 'millimeter of mercury', system: UCUM, code: 'mm[Hg]' }],
    ]);
    expect(bp.meta?.profile).toEqual([`${UK}UKCore-Observation-VitalSigns-BloodPressure`]);
  });

  it('marks a missing half of a blood pressure as data absent rather than inventing it', () => {
    const bp = byId(record(version(1, only({ systolicBp: '128' }))), IDS.bloodPressure);
    expect(bp.component?.[1]?.valueQuantity).toBeUndefined();
    expect(bp.component?.[1]?.dataAbsentReason?.coding?.[0]?.code).toBe('unknown');
  });

  it('codes air or oxygen as a finding with no value', () => {
    const onOxygen = byId(sent, IDS.inspiredOxygen);
    expect(codings(onOxygen.code)).toEqual([`${SNOMED}|371825009`]);
    expect(onOxygen.valueQuantity ?? onOxygen.valueCodeableConcept).toBeUndefined();
    const onAir = byId(record(version(1, only({ onOxygen: false }))), IDS.inspiredOxygen);
    expect(codings(onAir.code)).toEqual([`${SNOMED}|722742002`]);
  });

  it('codes ACVPU with the UK Core value set', () => {
    const expected = { A: '248234008', C: '130987000', V: '300202002', P: '450847001', U: '422768004' } as const;
    for (const [level, code] of Object.entries(expected) as [keyof typeof expected, string][]) {
      const o = byId(record(version(1, only({ consciousness: level }))), IDS.consciousness);
      expect(codings(o.code)).toEqual([`${SNOMED}|1104441000000107`]);
      expect(codings(o.valueCodeableConcept)).toEqual([`${SNOMED}|${code}`]);
      expect(codings(o.category?.[0])).toEqual([`${CATEGORY}|survey`]);
    }
  });

  it('scores NEWS2 as news2For does, with one SNOMED component per sub-score and links to its inputs', () => {
    const news2 = news2For(FULL, SCALE_1);
    if (!news2.isComplete) throw new Error('fixture must be complete');
    const o = byId(sent, IDS.news2);
    expect(codings(o.code)).toEqual([`${SNOMED}|1104051000000101`]);
    expect(o.valueQuantity).toEqual({ value: 7, unit: 'score', system: UCUM, code: '{ScoreOf}' });
    expect(o.valueQuantity?.value).toBe(news2.total);
    const s = news2.subScores;
    expect(o.component?.map((c) => [codings(c.code)[0], c.valueQuantity?.value])).toEqual([
      [`${SNOMED}|1104301000000104`, s.respirationRate], [`${SNOMED}|1104311000000102`, s.spo2], [`${SNOMED}|1104331000000105`, s.onOxygen],
      [`${SNOMED}|1104341000000101`, s.systolicBp], [`${SNOMED}|1104351000000103`, s.pulse], [`${SNOMED}|1104361000000100`, s.consciousness],
      [`${SNOMED}|1104371000000107`, s.temperature],
    ]);
    expect(o.derivedFrom?.map((r) => r.reference)).toEqual(
      [IDS.respirationRate, IDS.spo2, IDS.inspiredOxygen, IDS.bloodPressure, IDS.pulse, IDS.consciousness, IDS.temperature].map((id) => `Observation/${id}`),
    );
    expect(o.interpretation?.[0]?.coding?.[0]?.code).toBe(news2.band);
    expect(o.interpretation?.[0]?.text).toBe(news2.response);
  });

  it('uses the Scale 2 sub-score code and records the documented 88–92% target with its reason', () => {
    const entries = { ...FULL, spo2: '97' }; // on oxygen: Scale 1 scores 0, Scale 2 scores 3
    const scale2 = record(version(1, entries, { spo2Scale: SCALE_2 }));
    const news2 = byId(scale2, IDS.news2);
    const spo2Part = news2.component?.[1];
    expect(codings(spo2Part?.code)).toEqual([`${SNOMED}|1104321000000108`]);
    expect(spo2Part?.valueQuantity?.value).toBe(3);
    const expected = news2For(entries, SCALE_2);
    expect(expected.isComplete && news2.valueQuantity?.value === expected.total).toBe(true);
    for (const o of [news2, byId(scale2, IDS.spo2)]) expect(o.note?.[0]?.text).toMatch(/Scale 2.*88–92%.*COPD care plan/);
    expect(codings(byId(record(version(1, entries)), IDS.news2).component?.[1]?.code)).toEqual([`${SNOMED}|1104311000000102`]);
  });

  it('sends no NEWS2 for an incomplete set, only the parameters present', () => {
    const partial = record(version(1, { ...FULL, temperatureC: '' }));
    expect(partial.map((o) => o.id)).not.toContain(IDS.news2);
    expect(partial.map((o) => o.id)).not.toContain(IDS.temperature);
    expect(partial).toHaveLength(6);
    expect(record(version(1, only({ pulse: '80' }))).map((o) => o.id)).toEqual([IDS.pulse]);
  });

  it('names the clinician by display when they have no Practitioner id', () => {
    for (const o of record(version(1, FULL, { recordedBy: STUDENT }))) expect(o.performer).toEqual([{ display: 'Alex Jones' }]);
  });
});

describe('setObservations: corrections', () => {
  const v1 = version(1, FULL);

  it('sends only what changed, amended under the same id, with the reason; NEWS2 when a scored input changed', () => {
    const sent = record(v1, version(2, { ...FULL, pulse: '106' }, { reason: 'Misread the monitor' }));
    expect(sent.map((o) => [o.id, o.status])).toEqual([[IDS.pulse, 'amended'], [IDS.news2, 'amended']]);
    expect(byId(sent, IDS.pulse).valueQuantity?.value).toBe(106);
    for (const o of sent) expect(o.note?.at(-1)).toMatchObject({ text: 'Corrected: Misread the monitor', time: '2024-05-01T10:07:30Z', authorReference: { reference: 'Practitioner/prac-1' } });
  });

  it('leaves NEWS2 alone when only an unscored value (diastolic) changed', () => {
    const sent = record(v1, version(2, { ...FULL, diastolicBp: '85' }));
    expect(sent.map((o) => [o.id, o.status])).toEqual([[IDS.bloodPressure, 'amended']]);
    expect(sent[0]?.component?.[1]?.valueQuantity?.value).toBe(85);
  });

  it('withdraws a removed value (entered-in-error, as it was) and the NEWS2 score it completed', () => {
    const sent = record(v1, version(2, { ...FULL, temperatureC: '' }, { reason: 'Thermometer not used' }));
    expect(sent.map((o) => [o.id, o.status])).toEqual([[IDS.temperature, 'entered-in-error'], [IDS.news2, 'entered-in-error']]);
    expect(byId(sent, IDS.temperature).valueQuantity?.value).toBe(38.4);
    expect(byId(sent, IDS.news2).note?.at(-1)?.text).toBe('Corrected: Thermometer not used');
  });

  it('sends a new final for a value added in a correction, and NEWS2 the first time the set is complete', () => {
    const first = version(1, { ...FULL, temperatureC: '' });
    expect(record(first).map((o) => o.id)).not.toContain(IDS.news2);
    const sent = record(first, version(2, FULL, { reason: 'Temperature taken' }));
    expect(sent.map((o) => [o.id, o.status])).toEqual([[IDS.temperature, 'final'], [IDS.news2, 'final']]);
    expect(byId(sent, IDS.news2).derivedFrom).toHaveLength(7);
    expect(byId(sent, IDS.temperature).note?.[0]?.text).toBe('Corrected: Temperature taken');
  });

  it('never revives a withdrawn resource: a value recorded again gets a new id', () => {
    const v2 = version(2, { ...FULL, temperatureC: '' });
    const v3 = version(3, FULL);
    const sent = record(v1, v2, v3);
    expect(sent.map((o) => [o.id, o.status])).toEqual([[`${IDS.temperature}-v3`, 'final'], [`${IDS.news2}-v3`, 'final']]);
    expect(byId(sent, `${IDS.news2}-v3`).derivedFrom?.at(-1)?.reference).toBe(`Observation/${IDS.temperature}-v3`);
    expect(setObservationIds(TRIAGE, setOf([v1, v2, v3]))).toEqual(expect.arrayContaining([...Object.values(IDS), `${IDS.temperature}-v3`, `${IDS.news2}-v3`]));
  });

  it('amends everything when the time taken was corrected', () => {
    const sent = record(v1, version(2, FULL, { takenAt: '2024-05-01T10:01:00Z' }));
    expect(sent).toHaveLength(8);
    for (const o of sent) {
      expect(o.status).toBe('amended');
      expect(o.effectiveDateTime).toBe('2024-05-01T10:01:00Z');
    }
  });

  it('amends SpO2 and NEWS2 when the scale changes', () => {
    const sent = record(v1, version(2, FULL, { spo2Scale: SCALE_2 }));
    expect(sent.map((o) => o.id)).toEqual([IDS.spo2, IDS.news2]);
  });

  it('withdraws every observation still standing when the whole set was entered in error', () => {
    const eie = (n: number) => version(n, FULL, { status: 'entered-in-error', reason: 'Wrong patient' });
    const all = record(v1, eie(2));
    expect(all.map((o) => o.id).sort()).toEqual(Object.values(IDS).sort());
    for (const o of all) {
      expectR4Required(o);
      expect(o.status).toBe('entered-in-error');
      expect(o.note?.at(-1)?.text).toBe('Entered in error: Wrong patient');
    }
    expect(byId(all, IDS.pulse).valueQuantity?.value).toBe(104);
    // Temperature and NEWS2 were already withdrawn by version 2: only the six still standing go.
    const rest = record(v1, version(2, { ...FULL, temperatureC: '' }), eie(3));
    expect(rest.map((o) => o.id).sort()).toEqual([IDS.respirationRate, IDS.spo2, IDS.inspiredOxygen, IDS.bloodPressure, IDS.pulse, IDS.consciousness].sort());
  });
});

describe('encounterResource', () => {
  it('is in progress, in the field, with the clinician, the incident and the service provider', () => {
    const e = encounterResource(TRIAGE, CTX);
    expectR4Required(e);
    expect(e).toMatchObject({
      resourceType: 'Encounter', id: 'enc-7f3b2c1d', status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'FLD' },
      subject: { reference: 'Patient/pat-42' },
      period: { start: '2024-05-01T10:00:00Z' },
      identifier: [{ system: 'https://fhir.onscene.example/Id/incident-task', value: 'task-99' }],
      serviceProvider: { reference: 'Organization/org-lon' },
      meta: { profile: [`${UK}UKCore-Encounter`] },
    });
    expect(e.period?.end).toBeUndefined();
    expect(e.hospitalization).toBeUndefined();
    expect(e.participant?.[0]?.individual).toEqual({ reference: 'Practitioner/prac-1', display: 'Sam Patel' });
    expect(e.extension).toContainEqual({ url: 'https://fhir.onscene.example/StructureDefinition/incident-task', valueReference: { reference: 'Task/task-99' } });
    expect(e.text?.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.*<\/div>$/);
  });

  it('leaves out the incident and provider when there are none', () => {
    const e = encounterResource({ ...TRIAGE, incidentId: null }, { organizationId: null, now: CTX.now });
    expect(e.identifier).toBeUndefined();
    expect(e.extension).toBeUndefined();
    expect(e.serviceProvider).toBeUndefined();
  });

  const finished = (disposition: Partial<Disposition>): Encounter =>
    encounterResource({ ...TRIAGE, state: 'finished', finishedAt: '2024-05-01T11:30:00Z', disposition: { ...EMPTY_DISPOSITION, ...disposition } }, CTX);
  const hl7 = { conveyed: 'other-hcf', referred: 'oth', 'home-with-advice': 'home', 'see-and-treat': 'oth', declined: 'aadvice', deceased: 'exp' } as const;

  it.each(DISPOSITION_OUTCOMES.map((o) => [o]))('finished, %s: the HL7 disposition that fits and our exact outcome', (outcome) => {
    const e = finished({ outcome, destination: 'Royal London, ED', referredTo: 'gp', roleAt: '2024-05-01T10:40:00Z', notes: 'Safety-netting given' });
    expectR4Required(e);
    expect(e.status).toBe('finished');
    expect(e.period).toEqual({ start: '2024-05-01T10:00:00Z', end: '2024-05-01T11:30:00Z' });
    const h = e.hospitalization;
    expect(codings(h?.dischargeDisposition)).toEqual([
      `http://terminology.hl7.org/CodeSystem/discharge-disposition|${hl7[outcome]}`, `https://fhir.onscene.example/CodeSystem/disposition-outcome|${outcome}`,
    ]);
    expect(h?.destination).toEqual(outcome === 'conveyed' ? { display: 'Royal London, ED' } : undefined);
    const referral = h?.extension?.find((x) => x.url.endsWith('/referral-target'));
    expect(referral?.valueCoding?.code).toBe(outcome === 'referred' ? 'gp' : undefined);
    if (outcome === 'referred') expect(h?.dischargeDisposition?.text).toBe('Referred to GP');
    expect(h?.extension?.find((x) => x.url.endsWith('/disposition-notes'))?.valueString).toBe('Safety-netting given');
    const role = e.extension?.find((x) => x.url.endsWith('/role-time'));
    expect(role?.valueDateTime).toBe(outcome === 'deceased' ? '2024-05-01T10:40:00Z' : undefined);
    expect(e.text?.div).toContain('Safety-netting given');
  });
});

describe('handoverComposition', () => {
  const handover: HandoverView = {
    entries: { timeOfOnset: 'About 09:30', mechanism: 'Fall from ladder <2 m> & "landed" on \'left\' side', injuries: '', signsNote: 'Pale', treatment: 'Oxygen 15 l/min' },
    age: '66 years',
    signs: ['10:05 RR 22, SpO2 94%', 'NEWS2 7 (high)'],
    status: 'final',
  };

  it('is a transfer summary with the six ATMIST sections as escaped narrative', () => {
    const c: Composition = handoverComposition(TRIAGE, handover, 'final', CTX);
    expectR4Required(c);
    expect(c).toMatchObject({
      id: 'enc-7f3b2c1d-handover', status: 'final', date: '2024-05-01T11:00:00Z', title: 'ATMIST handover',
      type: { coding: [{ system: LOINC, code: '18761-7' }], text: 'ATMIST handover' },
      subject: { reference: 'Patient/pat-42' }, encounter: { reference: 'Encounter/enc-7f3b2c1d' },
      author: [{ reference: 'Practitioner/prac-1', display: 'Sam Patel' }],
    });
    expect(c.section?.map((s) => s.title)).toEqual([
      'A — Age', 'T — Time of onset', 'M — Mechanism or medical complaint', 'I — Injuries or information', 'S — Signs', 'T — Treatment given',
    ]);
    const div = (i: number) => c.section?.[i]?.text?.div ?? '';
    for (const s of c.section ?? []) {
      expect(s.text?.status).toBe('generated');
      expect(s.text?.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.*<\/div>$/);
    }
    expect(div(0)).toContain('<p>66 years</p>');
    expect(div(2)).toContain('Fall from ladder &lt;2 m&gt; &amp; &quot;landed&quot; on &#39;left&#39; side');
    expect(div(2)).not.toContain('<2');
    expect(div(3)).toContain('Not recorded.');
    expect(div(4)).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>10:05 RR 22, SpO2 94%</p><p>NEWS2 7 (high)</p><p>Pale</p></div>');
    expect(handoverComposition(TRIAGE, handover, 'amended', CTX).status).toBe('amended');
  });

  it('escapes every XHTML-special character', () => {
    expect(escapeXhtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });
});

describe('unidentifiedPatient', () => {
  const p: Patient = unidentifiedPatient({ patientId: 'pat-new-1', description: 'man in blue coat', gender: 'male', estimatedAge: '40–50', createdAt: '2024-05-01T10:02:00Z' });

  it('has our temporary identifier, no NHS number, a temporary descriptive name and the field tag', () => {
    expectR4Required(p);
    expect(p.identifier).toEqual([{ use: 'temp', system: 'https://fhir.onscene.example/Id/unidentified-patient', value: 'pat-new-1', period: { start: '2024-05-01T10:02:00Z' } }]);
    expect(p.identifier?.some((i) => i.system === 'https://fhir.nhs.uk/Id/nhs-number')).toBe(false);
    expect(p.name).toEqual([{ use: 'temp', text: 'Unknown patient — man in blue coat (estimated age 40–50)', period: { start: '2024-05-01T10:02:00Z' } }]);
    expect(p).toMatchObject({ resourceType: 'Patient', id: 'pat-new-1', gender: 'male', active: true });
    expect(p.meta?.tag).toEqual([expect.objectContaining({ system: 'https://fhir.onscene.example/CodeSystem/record-origin', code: 'field-unidentified' })]);
    expect(p.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('unknown');
    expect(p.birthDate).toBeUndefined();
  });

  it('escapes the description in its narrative and omits what is not known', () => {
    const q = unidentifiedPatient({ patientId: 'pat-new-2', description: 'woman <unknown>', gender: undefined, estimatedAge: '', createdAt: '2024-05-01T10:02:00Z' });
    expect(q.name?.[0]?.text).toBe('Unknown patient — woman <unknown>');
    expect(q.text?.div).toContain('woman &lt;unknown&gt;');
    expect('gender' in q).toBe(false);
  });
});
