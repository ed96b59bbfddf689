import type { Patient, Resource } from '@medplum/fhirtypes';
import { type Rng } from './prng';
import { buildCareTeam, buildRelatedPerson } from './synthContacts';
import { buildDocument, buildEncounter, buildImmunization, buildProcedure } from './synthEvents';
import {
  buildAllergyShape, buildEndOfLifeForm, buildEndedPlan, buildNoKnownDrugAllergy, deceased, withInterpreter, withoutNhsNumber,
} from './synthForms';
import { FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, MEDICATIONS } from './synthLists';
import { type CatalogueKey, MEDICATION_CATALOGUE, buildPrescription } from './synthMedicines';
import { type PatientSeed, type StaffMember } from './synthPeople';

/**
 * Issue #11: the shapes of DEMO_SHAPES, spread thinly over the random population so the demo's
 * caseload and the benchmarks read them too. A random stream of its own (see generate.ts): the
 * resources the first generator made stay exactly as they were; these are added beside them.
 */
export type ExtrasContext = Readonly<{ rng: Rng; key: string; patient: Patient; seed: PatientSeed; staff: readonly StaffMember[]; record: readonly Resource[] }>;

const CATALOGUE_KEYS = Object.keys(MEDICATION_CATALOGUE) as CatalogueKey[];
const LANGUAGES = [{ code: 'bn', display: 'Bengali' }, { code: 'pl', display: 'Polish' }, { code: 'so', display: 'Somali' }, { code: 'bfi', display: 'British Sign Language' }] as const;
const RELATIONS = [['DAU', 'Daughter'], ['SON', 'Son'], ['WIFE', 'Wife'], ['HUSB', 'Husband'], ['FRND', 'Friend']] as const;
const VACCINES = ['Influenza vaccine (seasonal)', 'COVID-19 vaccine', 'Pneumococcal polysaccharide vaccine', 'Shingles vaccine'] as const;
const ENCOUNTER_REASONS = ['Chest infection', 'Fall at home', 'Medication review', 'Chest pain, cardiac cause excluded', 'Hypoglycaemia'] as const;
const PROCEDURES = ['Hip replacement', 'Appendicectomy', 'Cataract extraction', 'Insertion of pacemaker'] as const;

function prescriptions(x: ExtrasContext, patientId: string, author: StaffMember): Resource[] {
  const { rng } = x;
  if (!rng.chance(0.2)) return [];
  return rng.sample(MEDICATIONS, rng.int(1, 2)).map((m, i) => {
    const roll = rng.next();
    const by = roll < 0.1 ? { kind: 'reference' as const, catalogue: rng.pick(CATALOGUE_KEYS) } : roll < 0.2 ? { kind: 'contained' as const, medicine: { text: m.text } } : { kind: 'code' as const, medicine: { text: m.text } };
    const isStopped = rng.chance(0.2);
    const authored = rng.int(10, 500);
    return buildPrescription({
      id: `medreq-${x.key}-${i + 1}`, patientId, by, dosage: m.dosage, status: isStopped ? 'stopped' : 'active', authoredDaysAgo: authored,
      prescriber: author, ...(isStopped ? { endedDaysAgo: Math.max(0, authored - rng.int(5, 60)) } : {}),
    });
  });
}

function allergies(x: ExtrasContext, patientId: string, author: StaffMember): Resource[] {
  const { rng } = x;
  const hasAllergy = x.record.some((r) => r.resourceType === 'AllergyIntolerance');
  const out: Resource[] = [];
  if (!hasAllergy && rng.chance(0.05)) out.push(buildNoKnownDrugAllergy(`allergy-${x.key}-nkda`, patientId, rng.int(30, 2000), author));
  if (rng.chance(0.02)) {
    out.push(buildAllergyShape({ id: `allergy-${x.key}-eie`, patientId, text: 'Codeine', verification: 'entered-in-error', daysAgo: rng.int(5, 300), recorder: author, reactions: [{ manifestation: 'Nausea', severity: 'mild' }] }));
  }
  return out;
}

function plans(x: ExtrasContext, patientId: string, author: StaffMember): Resource[] {
  const { rng } = x;
  const out: Resource[] = [];
  if (rng.chance(0.03)) {
    const start = rng.int(200, 900);
    out.push(buildEndedPlan({ id: `careplan-${x.key}-ended`, patientId, title: 'Falls prevention plan', status: 'completed', startDaysAgo: start, endDaysAgo: start - rng.int(30, 150), author }));
  }
  const hasEol = x.record.some((r) => r.id === `careplan-${x.key}-eol`);
  if (!hasEol && x.seed.ageYears >= 70 && rng.chance(0.01)) {
    out.push(buildEndOfLifeForm({ id: `qr-${x.key}-eol`, patientId, daysAgo: rng.int(3, 200), author, preferredPlace: rng.pick(['Home', 'Hospice', 'Care home']), ceiling: 'Symptom control only', contact: 'GP practice or the hospice advice line' }));
  }
  return out;
}

function history(x: ExtrasContext, patientId: string, author: StaffMember): Resource[] {
  const { rng } = x;
  const out: Resource[] = [];
  if (rng.chance(0.15)) {
    const isAdmission = rng.chance(0.4);
    out.push(buildEncounter({ id: `enc-${x.key}-1`, patientId, kind: isAdmission ? 'IMP' : 'AMB', reason: rng.pick(ENCOUNTER_REASONS), startDaysAgo: rng.int(5, 700), lengthDays: isAdmission ? rng.int(1, 9) : 0, organisation: isAdmission ? 'hospital' : 'gp' }));
  }
  if (rng.chance(0.05)) out.push(buildProcedure({ id: `proc-${x.key}-1`, patientId, text: rng.pick(PROCEDURES), daysAgo: rng.int(100, 5000), performer: author }));
  if (x.seed.ageYears >= 65 && rng.chance(0.3)) out.push(buildImmunization({ id: `imm-${x.key}-1`, patientId, vaccine: rng.pick(VACCINES), daysAgo: rng.int(20, 600) }));
  if (rng.chance(0.1)) {
    out.push(buildDocument({ id: `doc-${x.key}-1`, patientId, title: 'Discharge summary', loinc: '18842-5', typeText: 'Discharge summary', daysAgo: rng.int(5, 700), author }));
  }
  return out;
}

function contacts(x: ExtrasContext, patientId: string, author: StaffMember): Resource[] {
  const { rng } = x;
  const out: Resource[] = [];
  if (rng.chance(0.12)) {
    const [role, roleText] = rng.pick(RELATIONS);
    const given = rng.pick(role === 'DAU' || role === 'WIFE' ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE);
    out.push(buildRelatedPerson({ id: `related-${x.key}-1`, patientId, given, family: x.seed.family, role, roleText, phoneSuffix: rng.int(0, 999), isNextOfKin: true }));
  }
  const holdsPlan = x.record.some((r) => r.resourceType === 'CarePlan');
  if (holdsPlan && rng.chance(0.5)) {
    out.push(buildCareTeam({ id: `careteam-${x.key}-1`, patientId, name: 'Community care team', organisation: 'gp', members: [author], phoneSuffix: rng.int(0, 999), sinceDaysAgo: rng.int(30, 900) }));
  }
  return out;
}

/** The patient as the extras change it (deceased, interpreter, no NHS number), and the resources added. */
export function buildExtras(x: ExtrasContext): Readonly<{ patient: Patient; added: Resource[] }> {
  const { rng } = x;
  const patientId = x.patient.id ?? '';
  const author = rng.pick(x.staff);
  let patient = x.patient;
  if (x.seed.ageYears >= 70 && rng.chance(0.005)) patient = deceased(patient, rng.int(1, 30));
  if (rng.chance(0.02)) patient = withInterpreter(patient, rng.pick(LANGUAGES));
  if (rng.chance(0.01)) patient = withoutNhsNumber(patient, `RSH${String(rng.int(0, 9_999_999)).padStart(7, '0')}`);
  return {
    patient,
    added: [...prescriptions(x, patientId, author), ...allergies(x, patientId, author), ...plans(x, patientId, author), ...history(x, patientId, author), ...contacts(x, patientId, author)],
  };
}
