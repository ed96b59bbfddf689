import type { RxJsonSchema } from 'rxdb';

/**
 * Synthetic FHIR-shaped documents for the storage bench: the same envelope and indexes as the
 * app's cached-resource collection (db/schemas.ts), copied here so the bench stays stable while
 * that schema evolves. About 1 KB of JSON each; no real person's data.
 */
export type BenchResourceDoc = {
  key: string;
  resourceType: string;
  resourceId: string;
  patientId: string;
  lastUpdated: string;
  syncedAt: string;
  resource: Record<string, unknown>;
};

export const benchResourceSchema: RxJsonSchema<BenchResourceDoc> = {
  title: 'bench FHIR resource',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: { type: 'string', maxLength: 200 },
    resourceType: { type: 'string', maxLength: 64 },
    resourceId: { type: 'string', maxLength: 128 },
    patientId: { type: 'string', maxLength: 128 },
    lastUpdated: { type: 'string', maxLength: 40 },
    syncedAt: { type: 'string', maxLength: 40 },
    resource: { type: 'object', additionalProperties: true },
  },
  required: ['key', 'resourceType', 'resourceId', 'patientId', 'lastUpdated', 'syncedAt', 'resource'],
  indexes: [['patientId', 'resourceType'], ['resourceType', 'lastUpdated'], 'syncedAt'],
  additionalProperties: false,
};

/** Observations' lastUpdated spread over two years from here; queries pick windows inside it. */
export const EPOCH_MS = Date.UTC(2024, 0, 1);
export const SPAN_MS = 730 * 86_400_000;
const DAY_MS = 86_400_000;

/** Small deterministic PRNG (mulberry32): the raw and RxDB runs store identical documents. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const hex = (rand: () => number, length: number) => {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'.charAt(Math.floor(rand() * 16));
  return out;
};

const VITALS = [
  { code: '8867-4', display: 'Heart rate', unit: '/min', ucum: '/min', low: 40, high: 160 },
  { code: '9279-1', display: 'Respiratory rate', unit: 'breaths/minute', ucum: '/min', low: 8, high: 40 },
  { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%', low: 80, high: 100 },
  { code: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel', low: 34, high: 41 },
  { code: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mmol/L', ucum: 'mmol/L', low: 2, high: 25 },
] as const;
const CONDITIONS = [
  ['44054006', 'Diabetes mellitus type 2'],
  ['195967001', 'Asthma'],
  ['13645005', 'Chronic obstructive lung disease'],
  ['84114007', 'Heart failure'],
  ['230690007', 'Cerebrovascular accident'],
  ['49436004', 'Atrial fibrillation'],
] as const;
const ALLERGENS = [
  ['764146007', 'Penicillin'],
  ['387207008', 'Ibuprofen'],
  ['91935009', 'Peanut'],
  ['111088007', 'Latex'],
] as const;
const GIVEN = ['Alex', 'Sam', 'Jo', 'Chris', 'Pat', 'Robin', 'Kim', 'Lee', 'Morgan', 'Taylor'];
const FAMILY = ['Example', 'Sample', 'Testperson', 'Synthetic', 'Placeholder', 'Fictional'];
const DISTRICTS = ['SE1', 'N7', 'E14', 'SW9', 'W12', 'NW5', 'CR0', 'BR1'];

function meta(rand: () => number, lastUpdated: string) {
  return {
    versionId: String(1 + Math.floor(rand() * 5)),
    lastUpdated,
    source: `https://fhir.bench.example/ods/R${hex(rand, 2).toUpperCase()}`,
    profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation'],
  };
}

function observation(rand: () => number, id: string, patientId: string, lastUpdated: string) {
  const vital = pick(rand, VITALS);
  const value = Math.round((vital.low + rand() * (vital.high - vital.low)) * 10) / 10;
  return {
    resourceType: 'Observation',
    id,
    meta: meta(rand, lastUpdated),
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: vital.code, display: vital.display }], text: vital.display },
    subject: { reference: `Patient/${patientId}` },
    encounter: { reference: `Encounter/enc-${hex(rand, 12)}` },
    effectiveDateTime: lastUpdated,
    performer: [{ reference: `Practitioner/prac-${hex(rand, 8)}`, display: 'Paramedic' }],
    valueQuantity: { value, unit: vital.unit, system: 'http://unitsofmeasure.org', code: vital.ucum },
    interpretation: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: value > vital.high * 0.9 ? 'H' : 'N' }] },
    ],
    note: [{ text: `Repeat in ${5 + Math.floor(rand() * 10)} min.` }],
  };
}

function patient(rand: () => number, id: string, lastUpdated: string) {
  const birth = new Date(Date.UTC(1930, 0, 1) + Math.floor(rand() * 90 * 365) * DAY_MS).toISOString().slice(0, 10);
  return {
    resourceType: 'Patient',
    id,
    meta: meta(rand, lastUpdated),
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: `999${String(Math.floor(rand() * 1e7)).padStart(7, '0')}` }],
    active: true,
    name: [{ use: 'official', family: pick(rand, FAMILY), given: [pick(rand, GIVEN)], prefix: ['Mx'] }],
    telecom: [{ system: 'phone', value: `07700 900${String(Math.floor(rand() * 1000)).padStart(3, '0')}`, use: 'mobile' }],
    gender: pick(rand, ['female', 'male', 'other', 'unknown']),
    birthDate: birth,
    address: [{ use: 'home', line: [`${1 + Math.floor(rand() * 200)} Example Street`], city: 'London', postalCode: `${pick(rand, DISTRICTS)} 1AA` }],
    generalPractitioner: [{ reference: `Organization/ods-${hex(rand, 6)}`, display: 'Example Surgery' }],
    contact: [{ relationship: [{ text: 'Next of kin' }], name: { family: pick(rand, FAMILY), given: [pick(rand, GIVEN)] } }],
  };
}

function condition(rand: () => number, id: string, patientId: string, lastUpdated: string) {
  const [code, display] = pick(rand, CONDITIONS);
  return {
    resourceType: 'Condition',
    id,
    meta: meta(rand, lastUpdated),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { coding: [{ system: 'http://snomed.info/sct', code, display }], text: display },
    subject: { reference: `Patient/${patientId}` },
    onsetDateTime: lastUpdated,
    recordedDate: lastUpdated,
    recorder: { reference: `Practitioner/prac-${hex(rand, 8)}` },
    note: [{ text: 'Managed in primary care; see care plan for escalation advice and anticipatory medicines.' }],
  };
}

function allergy(rand: () => number, id: string, patientId: string, lastUpdated: string) {
  const [code, display] = pick(rand, ALLERGENS);
  return {
    resourceType: 'AllergyIntolerance',
    id,
    meta: meta(rand, lastUpdated),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
    type: 'allergy',
    category: ['medication'],
    criticality: pick(rand, ['low', 'high', 'unable-to-assess']),
    code: { coding: [{ system: 'http://snomed.info/sct', code, display }], text: display },
    patient: { reference: `Patient/${patientId}` },
    recordedDate: lastUpdated,
    reaction: [{ manifestation: [{ coding: [{ system: 'http://snomed.info/sct', code: '271807003', display: 'Skin rash' }] }], severity: 'moderate' }],
  };
}

function carePlan(rand: () => number, id: string, patientId: string, lastUpdated: string) {
  return {
    resourceType: 'CarePlan',
    id,
    meta: meta(rand, lastUpdated),
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '736373009', display: 'End of life care plan' }] }],
    title: 'Universal Care Plan',
    subject: { reference: `Patient/${patientId}` },
    period: { start: lastUpdated },
    created: lastUpdated,
    author: { reference: `Practitioner/prac-${hex(rand, 8)}` },
    activity: [
      { detail: { status: 'in-progress', description: 'Resuscitation: do not attempt CPR (DNACPR), decision recorded and discussed.' } },
      { detail: { status: 'in-progress', description: 'Preferred place of care: home. Anticipatory medicines in the house.' } },
    ],
  };
}

/**
 * Document number `index` of a deterministic corpus: one Patient per 20 documents, the rest
 * Observations (60%), Conditions, AllergyIntolerances and CarePlans of patients seen so far.
 */
export function benchDoc(index: number, patientCount: number): BenchResourceDoc {
  const rand = prng(index * 2654435761 + 17);
  const lastUpdated = new Date(EPOCH_MS + Math.floor(rand() * SPAN_MS)).toISOString();
  const syncedAt = new Date(EPOCH_MS + SPAN_MS + index * 1000).toISOString();
  const id = `${String(index).padStart(8, '0')}-${hex(rand, 8)}`;
  if (index % 20 === 0) {
    const patientId = `pat-${String(index / 20).padStart(7, '0')}`;
    return { key: `Patient/${patientId}`, resourceType: 'Patient', resourceId: patientId, patientId, lastUpdated, syncedAt, resource: patient(rand, patientId, lastUpdated) };
  }
  const patientId = benchPatientId(Math.floor(rand() * patientCount));
  const roll = rand();
  const [resourceType, resource] =
    roll < 0.63
      ? ['Observation', observation(rand, id, patientId, lastUpdated)]
      : roll < 0.79
        ? ['Condition', condition(rand, id, patientId, lastUpdated)]
        : roll < 0.85
          ? ['AllergyIntolerance', allergy(rand, id, patientId, lastUpdated)]
          : ['CarePlan', carePlan(rand, id, patientId, lastUpdated)];
  return { key: `${resourceType}/${id}`, resourceType, resourceId: id, patientId, lastUpdated, syncedAt, resource };
}

export function benchPatientId(patientIndex: number): string {
  return `pat-${String(patientIndex).padStart(7, '0')}`;
}

/** Documents [from, to) of a corpus of `total`. */
export function benchDocs(from: number, to: number, total: number): BenchResourceDoc[] {
  const patientCount = Math.max(1, Math.floor(total / 20));
  const docs: BenchResourceDoc[] = [];
  for (let i = from; i < to; i++) docs.push(benchDoc(i, patientCount));
  return docs;
}
