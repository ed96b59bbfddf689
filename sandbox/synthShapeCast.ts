import type { Patient, Resource } from '@medplum/fhirtypes';
import { DEMO_SHAPES, DEMO_USERS, SHAPES_VEHICLE } from './demoCast';
import { createRng } from './prng';
import { buildCondition, buildFlag, buildMedication, buildResusDecision, type PatientContext } from './synthClinical';
import { buildCareTeam, buildRelatedPerson } from './synthContacts';
import { buildDocument, buildEncounter, buildImmunization, buildProcedure } from './synthEvents';
import {
  buildAllergyShape, buildEndOfLifeForm, buildEndedPlan, buildNarrativeOnlyPlan, buildNoKnownDrugAllergy, buildSharingObjection,
  deceased, labelled, withInterpreter, withoutNhsNumber,
} from './synthForms';
import { buildIncident, incidentNumber } from './synthIncidents';
import { buildMedicationCatalogue, buildPrescription } from './synthMedicines';
import { buildPatient, buildVehicle, type PatientSeed, type StaffMember } from './synthPeople';
import { SEED_EPOCH_MS } from './synthTime';

/** Like the demo cast, independent of the caller's seed and size. */
const SHAPES_RNG_SEED = 20_261_111;
/** Incident serials and NHS numbers far from the random population's, so neither shifts the other. */
const SERIAL_BASE = 900_000;

const CLINICIAN = DEMO_USERS.find((u) => u.role === 'clinician');
const GP: StaffMember = { id: CLINICIAN?.practitionerId ?? 'prac-demo-clinician-1', display: CLINICIAN?.displayName ?? 'Demo clinician', kind: 'gp' };

type Shape = Readonly<{ id: string; seed: PatientSeed; build: (ctx: PatientContext, patient: Patient) => { patient: Patient; record: Resource[] } }>;

const keyOf = (patientId: string) => patientId.replace(/^pat-/, '');

const medicines: Shape = {
  id: DEMO_SHAPES.medicines,
  seed: { family: 'Mockley', given: ['Aisha'], gender: 'female', ageYears: 19 },
  build: (ctx, patient) => ({
    patient,
    record: [
      buildPrescription({ id: `medreq-${ctx.key}-1`, patientId: ctx.patientId, by: { kind: 'reference', catalogue: 'adrenalineAutoInjector' }, dosage: '300 micrograms into the outer thigh if anaphylaxis; repeat after 5 minutes if no better', status: 'active', authoredDaysAgo: 60, prescriber: GP, asNeeded: true }),
      buildPrescription({ id: `medreq-${ctx.key}-2`, patientId: ctx.patientId, by: { kind: 'contained', medicine: { text: 'Cetirizine 1mg/ml oral solution sugar free', form: 'Oral solution' } }, dosage: '10ml once daily when required', status: 'active', authoredDaysAgo: 30, prescriber: GP, asNeeded: true }),
      buildPrescription({ id: `medreq-${ctx.key}-3`, patientId: ctx.patientId, by: { kind: 'code', medicine: { text: 'Amoxicillin 500mg capsules' } }, dosage: 'One capsule three times a day for 5 days', status: 'stopped', authoredDaysAgo: 200, endedDaysAgo: 198, prescriber: GP }),
      buildAllergyShape({ id: `allergy-${ctx.key}-1`, patientId: ctx.patientId, text: 'Peanut', verification: 'confirmed', criticality: 'high', daysAgo: 900, recorder: GP, reactions: [{ manifestation: 'Urticaria', severity: 'mild' }, { manifestation: 'Anaphylaxis', severity: 'severe' }] }),
      buildAllergyShape({ id: `allergy-${ctx.key}-2`, patientId: ctx.patientId, text: 'Penicillin', verification: 'entered-in-error', daysAgo: 199, recorder: GP, reactions: [{ manifestation: 'Rash', severity: 'mild' }] }),
      buildAllergyShape({ id: `allergy-${ctx.key}-3`, patientId: ctx.patientId, text: 'Latex', verification: 'unconfirmed', daysAgo: 20, recorder: GP, reactions: [] }),
    ],
  }),
};

const contacts: Shape = {
  id: DEMO_SHAPES.contacts,
  seed: { family: 'Samplewicz', given: ['Zofia'], gender: 'female', ageYears: 81 },
  build: (ctx, patient) => ({
    patient: withInterpreter(patient, { code: 'pl', display: 'Polish' }),
    record: [
      buildNoKnownDrugAllergy(`allergy-${ctx.key}-nkda`, ctx.patientId, 400, GP),
      buildCondition(ctx, 1, 'Heart failure'),
      buildMedication(ctx, 1, 'Bisoprolol 2.5mg tablets', 'One tablet once daily'),
      buildRelatedPerson({ id: `related-${ctx.key}-1`, patientId: ctx.patientId, given: 'Marek', family: 'Samplewicz', role: 'SON', roleText: 'Son', phoneSuffix: 101, isNextOfKin: true }),
      buildCareTeam({ id: `careteam-${ctx.key}-1`, patientId: ctx.patientId, name: 'Community heart failure nurses', organisation: 'gp', members: [GP], phoneSuffix: 102, sinceDaysAgo: 300 }),
    ],
  }),
};

const plansAndHistory: Shape = {
  id: DEMO_SHAPES.plansAndHistory,
  seed: { family: 'Exampleby', given: ['George'], gender: 'male', ageYears: 67 },
  build: (ctx, patient) => ({
    patient,
    record: [
      buildEndedPlan({ id: `careplan-${ctx.key}-rehab`, patientId: ctx.patientId, title: 'Cardiac rehabilitation plan', status: 'completed', startDaysAgo: 400, endDaysAgo: 310, author: GP }),
      buildEndedPlan({ id: `careplan-${ctx.key}-falls`, patientId: ctx.patientId, title: 'Falls prevention plan', status: 'revoked', startDaysAgo: 700, endDaysAgo: 500, author: GP }),
      buildNarrativeOnlyPlan(`careplan-${ctx.key}-crisis`, ctx.patientId, [
        'Lives alone; key safe code held by the district nurses.',
        'If short of breath: home oxygen 2 litres per minute, then call the respiratory team before conveying.',
      ], GP),
      buildEncounter({ id: `enc-${ctx.key}-1`, patientId: ctx.patientId, kind: 'IMP', reason: 'Exacerbation of COPD', startDaysAgo: 45, lengthDays: 4, organisation: 'hospital' }),
      buildEncounter({ id: `enc-${ctx.key}-2`, patientId: ctx.patientId, kind: 'AMB', reason: 'COPD review', startDaysAgo: 20, lengthDays: 0, organisation: 'gp' }),
      buildProcedure({ id: `proc-${ctx.key}-1`, patientId: ctx.patientId, text: 'Coronary artery bypass graft', daysAgo: 420, performer: GP }),
      buildImmunization({ id: `imm-${ctx.key}-1`, patientId: ctx.patientId, vaccine: 'Influenza vaccine (seasonal)', daysAgo: 230 }),
      buildImmunization({ id: `imm-${ctx.key}-2`, patientId: ctx.patientId, vaccine: 'Pneumococcal polysaccharide vaccine', daysAgo: 800 }),
      buildDocument({ id: `doc-${ctx.key}-1`, patientId: ctx.patientId, title: 'Discharge summary: exacerbation of COPD', loinc: '18842-5', typeText: 'Discharge summary', daysAgo: 41, author: GP }),
      buildCondition(ctx, 1, 'Chronic obstructive pulmonary disease'),
    ],
  }),
};

const endOfLifeForm: Shape = {
  id: DEMO_SHAPES.endOfLifeForm,
  seed: { family: 'Placeworth', given: ['Margaret'], gender: 'female', ageYears: 91 },
  build: (ctx, patient) => ({
    patient,
    record: [
      buildEndOfLifeForm({ id: `qr-${ctx.key}-eol`, patientId: ctx.patientId, daysAgo: 12, author: GP, preferredPlace: 'Home', ceiling: 'Symptom control at home; no hospital admission unless symptoms cannot be controlled', contact: 'Example Hospice 24-hour advice line' }),
      buildCondition(ctx, 1, 'Advanced dementia'),
    ],
  }),
};

const deceasedShape: Shape = {
  id: DEMO_SHAPES.deceased,
  seed: { family: 'Testham', given: ['Arthur'], gender: 'male', ageYears: 84 },
  build: (ctx, patient) => ({ patient: deceased(patient, 0), record: [buildCondition(ctx, 1, 'Metastatic prostate cancer')] }),
};

const noNhsNumber: Shape = {
  id: DEMO_SHAPES.noNhsNumber,
  seed: { family: 'Nowak-Sample', given: ['Maria'], gender: 'female', ageYears: 34 },
  build: (ctx, patient) => ({
    patient: { ...withoutNhsNumber(patient, 'RSH1234567'), name: [{ use: 'official', text: 'Maria', family: 'Nowak-Sample', given: ['Maria'] }] },
    record: [buildCondition(ctx, 1, 'Epilepsy'), buildFlag(ctx, 1, 'clinical', 'Seizures: buccal midazolam carried')],
  }),
};

const restricted: Shape = {
  id: DEMO_SHAPES.restricted,
  seed: { family: 'Fictonby', given: ['Leon'], gender: 'male', ageYears: 41 },
  build: (ctx, patient) => ({
    patient,
    record: [
      buildCondition(ctx, 1, 'Type 1 diabetes'),
      labelled(buildCondition(ctx, 2, 'Condition recorded by a sexual health service'), 'R'),
      labelled(buildDocument({ id: `doc-${ctx.key}-1`, patientId: ctx.patientId, title: 'Letter from a specialist service', loinc: '34133-9', typeText: 'Summary of episode note', daysAgo: 90, author: GP }), 'V'),
      buildPrescription({ id: `medreq-${ctx.key}-1`, patientId: ctx.patientId, by: { kind: 'reference', catalogue: 'glucagon' }, dosage: '1mg by injection if hypoglycaemic and unable to take glucose by mouth', status: 'active', authoredDaysAgo: 100, prescriber: GP, asNeeded: true }),
    ],
  }),
};

const sharingObjection: Shape = {
  id: DEMO_SHAPES.sharingObjection,
  seed: { family: 'Privett', given: ['Hannah'], gender: 'female', ageYears: 58 },
  build: (ctx, patient) => ({
    patient,
    record: [
      buildSharingObjection(`consent-${ctx.key}-privacy`, ctx.patientId, 300),
      buildResusDecision(ctx, { suffix: 'respect', kind: 'respect', isForCpr: true, note: 'For full escalation.', author: GP }),
      buildFlag(ctx, 1, 'safety', 'Premises warning: steep stairs'),
      buildCondition(ctx, 1, 'Hypertension'),
      buildMedication(ctx, 1, 'Amlodipine 5mg tablets', 'One tablet once daily'),
    ],
  }),
};

const SHAPES: readonly Shape[] = [medicines, contacts, plansAndHistory, endOfLifeForm, deceasedShape, noNhsNumber, restricted, sharingObjection];

/**
 * The shapes cast (DEMO_SHAPES), each with an open incident on SHAPES_VEHICLE, plus that vehicle
 * and the Medications prescriptions reference. NHS numbers come from `nextNhsNumber`, a sequence
 * of their own.
 */
export function buildShapePatients(nextNhsNumber: () => string): Resource[] {
  const rng = createRng(SHAPES_RNG_SEED);
  const out: Resource[] = [buildVehicle(SHAPES_VEHICLE), ...buildMedicationCatalogue()];
  SHAPES.forEach((shape, i) => {
    const key = keyOf(shape.id);
    const base = { ...buildPatient(rng, 0, nextNhsNumber(), shape.seed), id: shape.id };
    const ctx: PatientContext = { rng, key, patientId: shape.id, author: () => GP };
    const { patient, record } = shape.build(ctx, base);
    const authoredAtMs = SEED_EPOCH_MS - (40 - i * 3) * 60_000;
    out.push(patient, ...record, buildIncident({
      id: `task-${key}-active`, incidentNumber: incidentNumber(authoredAtMs, SERIAL_BASE + i + 1), patientId: shape.id,
      vehicle: SHAPES_VEHICLE, status: i === 0 ? 'in-progress' : 'ready', priority: 'urgent', description: 'Category 3: unwell adult',
      authoredAtMs, lastModifiedAtMs: authoredAtMs + 60_000,
    }));
  });
  return out;
}
