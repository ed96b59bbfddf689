import type { Resource } from '@medplum/fhirtypes';
import { DEMO_PATIENTS, DEMO_USERS, DEMO_VEHICLE, OTHER_VEHICLE } from './demoCast';
import { createRng } from './prng';
import {
  buildAllergy, buildCarePlan, buildCondition, buildFlag, buildMedication, buildResusDecision, type PatientContext,
} from './synthClinical';
import { buildIncident, incidentNumber } from './synthIncidents';
import { PLAN_TEXT, type RecordState } from './synthRecord';
import { buildPatient, patientKey, type PatientSeed, type StaffMember } from './synthPeople';
import { SEED_EPOCH_MS } from './synthTime';

/** The demo cast does not depend on the caller's seed, so screenshots and tests stay stable. */
const DEMO_RNG_SEED = 20_260_601;

const DEMO_CLINICIAN = DEMO_USERS.find((u) => u.role === 'clinician');
const AUTHOR: StaffMember = { id: DEMO_CLINICIAN?.practitionerId ?? 'prac-demo-clinician-1', display: DEMO_CLINICIAN?.displayName ?? 'Demo clinician', kind: 'palliative' };

const SEEDS: readonly PatientSeed[] = [
  { family: 'Exampleton', given: ['Edith'], gender: 'female', ageYears: 88 },
  { family: 'Sampleford', given: ['Kwame'], gender: 'male', ageYears: 24 },
  { family: 'Testwood', given: ['Daniel', 'James'], gender: 'male', ageYears: 45 },
  { family: 'Placeholder', given: ['Ruth'], gender: 'female', ageYears: 72 },
];

type ActiveIncident = Readonly<{ vehicle: string; status: 'ready' | 'in-progress'; priority: 'stat' | 'asap' | 'urgent'; description: string; minutesAgo: number }>;

const INCIDENTS: readonly ActiveIncident[] = [
  { vehicle: DEMO_VEHICLE, status: 'in-progress', priority: 'stat', description: 'Category 2: breathing problems', minutesAgo: 25 },
  { vehicle: DEMO_VEHICLE, status: 'ready', priority: 'urgent', description: 'Category 3: sickle cell crisis pain', minutesAgo: 18 },
  { vehicle: DEMO_VEHICLE, status: 'ready', priority: 'asap', description: 'Category 2: chest pain', minutesAgo: 9 },
  { vehicle: OTHER_VEHICLE, status: 'in-progress', priority: 'stat', description: 'Category 2: breathing problems', minutesAgo: 31 },
];

function clinical(ctx: PatientContext, index: number): Resource[] {
  switch (index) {
    case 1: {
      const consent = buildResusDecision(ctx, { suffix: 'eol', kind: 'dnacpr', isForCpr: false, note: 'Discussed with patient and daughter. Focus on comfort.', author: AUTHOR });
      return [
        buildFlag(ctx, 1, 'safety', 'Premises warning: aggressive dog'),
        buildAllergy(ctx, 1, { text: 'Penicillin', snomed: '373270004', reaction: 'Anaphylaxis', isHigh: true }),
        buildCondition(ctx, 1, 'Metastatic lung cancer'),
        buildMedication(ctx, 1, 'Morphine sulfate 10mg/5ml oral solution', '2.5ml to 5ml every 4 hours when required for pain'),
        consent,
        buildCarePlan(ctx, { suffix: 'eol', kind: 'end-of-life', ...PLAN_TEXT.endOfLife, author: AUTHOR, supportingInfo: [consent] }),
      ];
    }
    case 2:
      return [
        buildCondition(ctx, 1, 'Sickle cell disease'),
        buildMedication(ctx, 1, 'Hydroxycarbamide 500mg capsules', 'Two capsules once daily'),
        buildMedication(ctx, 2, 'Folic acid 5mg tablets', 'One tablet once daily'),
        buildCarePlan(ctx, { suffix: 'sickle', kind: 'sickle-cell', ...PLAN_TEXT.sickleCell, author: AUTHOR }),
        buildResusDecision(ctx, { suffix: 'respect', kind: 'respect', isForCpr: true, note: 'For full escalation including CPR. Patient wishes to be resuscitated.', author: AUTHOR }),
      ];
    case 3:
      return [buildCondition(ctx, 1, 'Asthma'), buildMedication(ctx, 1, 'Salbutamol 100micrograms/dose inhaler', 'Two puffs when required')];
    default:
      return [
        buildFlag(ctx, 1, 'safety', 'Oxygen in use at property'),
        buildCondition(ctx, 1, 'Chronic obstructive pulmonary disease'),
        buildMedication(ctx, 1, 'Tiotropium 2.5micrograms/dose inhaler', 'Two puffs once daily'),
      ];
  }
}

/**
 * The fixed demo patients (see DEMO_PATIENTS) with their active incidents: (a) DNACPR on an
 * end-of-life plan + premises warning + allergy, (b) sickle cell plan + ReSPECT for CPR,
 * (c) no resuscitation decision, all on K101; and one patient on K202.
 */
export function buildDemoPatients(nextNhsNumber: () => string, state: RecordState): Resource[] {
  const rng = createRng(DEMO_RNG_SEED);
  const out: Resource[] = [];
  SEEDS.forEach((seed, i) => {
    const index = i + 1;
    const key = patientKey(index);
    const patient = buildPatient(rng, index, nextNhsNumber(), seed);
    const patientId = patient.id ?? '';
    const ctx: PatientContext = { rng, key, patientId, author: () => AUTHOR };
    const incident = INCIDENTS[i] as ActiveIncident;
    const authoredAtMs = SEED_EPOCH_MS - incident.minutesAgo * 60_000;
    state.incidentSerial += 1;
    out.push(patient, ...clinical(ctx, index), buildIncident({
      id: `task-${key}-active`, incidentNumber: incidentNumber(authoredAtMs, state.incidentSerial), patientId,
      vehicle: incident.vehicle, status: incident.status, priority: incident.priority, description: incident.description,
      authoredAtMs, lastModifiedAtMs: authoredAtMs + 60_000,
    }));
  });
  if (out.filter((r) => r.resourceType === 'Patient').map((r) => r.id).join() !== Object.values(DEMO_PATIENTS).join()) {
    throw new Error('demo cast and DEMO_PATIENTS disagree');
  }
  return out;
}
