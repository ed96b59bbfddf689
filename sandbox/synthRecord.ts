import type { Resource } from '@medplum/fhirtypes';
import {
  buildAllergy, buildCarePlan, buildCondition, buildFlag, buildMedication, buildResusDecision,
  type FlagCategory, type PatientContext,
} from './synthClinical';
import { buildIncident, buildVitals, incidentNumber } from './synthIncidents';
import {
  ALLERGENS, BEHAVIORAL_FLAGS, CLINICAL_FLAGS, CONDITIONS, DECISION_NOTES, INCIDENT_DESCRIPTIONS,
  LIFE_LIMITING_CONDITIONS, MEDICATIONS, RESPECT_FOR_CPR_NOTES, SAFETY_FLAGS,
} from './synthLists';
import { type PatientSeed } from './synthPeople';
import { SEED_EPOCH_MS } from './synthTime';

const DAY_MS = 86_400_000;

/** Shared state across patients: incident serials run through the whole seed. */
export type RecordState = { incidentSerial: number };

/** Plan texts shared by the caseload and the demo cast. */
export const PLAN_TEXT = {
  endOfLife: {
    title: 'End of life care plan',
    description: 'Recognised as in the last months of life. Preferred place of care and death: home.',
    activities: [
      'Do not attempt CPR: see resuscitation decision',
      'Anticipatory medicines are in the house: contact the hospice 24-hour advice line',
      'Avoid hospital admission unless symptoms cannot be controlled at home',
    ],
  },
  sickleCell: {
    title: 'Sickle cell individual care plan',
    description: 'Sickle cell disease (HbSS). Usual crisis presentation: severe back and limb pain.',
    activities: [
      'Give analgesia within 30 minutes: usual effective dose morphine sulfate 10mg oral or 5mg IV',
      'Give oxygen only if SpO2 is below 94%',
      'Convey to Sample Haematology Centre if possible; haematology on call is aware',
    ],
  },
  mentalHealth: {
    title: 'Mental health crisis plan',
    description: 'Recurrent crises with thoughts of self-harm. Engages well with the crisis team.',
    activities: [
      'Contact the crisis team 24-hour line before conveying',
      'Approach quietly: sirens and lights increase distress',
      'Preferred place of safety: crisis house rather than the emergency department',
    ],
  },
} as const;

function addFlags(ctx: PatientContext, out: Resource[]): void {
  const { rng } = ctx;
  if (!rng.chance(0.12)) return;
  const count = rng.int(1, 2);
  for (let n = 1; n <= count; n++) {
    const roll = rng.next();
    const category: FlagCategory = roll < 0.6 ? 'safety' : roll < 0.85 ? 'clinical' : 'behavioral';
    const list = category === 'safety' ? SAFETY_FLAGS : category === 'clinical' ? CLINICAL_FLAGS : BEHAVIORAL_FLAGS;
    out.push(buildFlag(ctx, n, category, rng.pick(list)));
  }
}

function addProblemsAndMedicines(ctx: PatientContext, seed: PatientSeed, out: Resource[], start: { cond: number; med: number }): void {
  const { rng } = ctx;
  const isOld = seed.ageYears >= 65;
  if (rng.chance(0.25)) {
    rng.sample(ALLERGENS, rng.int(1, 2)).forEach((a, i) => out.push(buildAllergy(ctx, i + 1, a)));
  }
  rng.sample(CONDITIONS, isOld ? rng.int(1, 4) : rng.int(0, 2)).forEach((c, i) => out.push(buildCondition(ctx, start.cond + i, c)));
  rng.sample(MEDICATIONS, isOld ? rng.int(2, 7) : rng.int(0, 3)).forEach((m, i) => out.push(buildMedication(ctx, start.med + i, m.text, m.dosage)));
}

function addEndOfLife(ctx: PatientContext, out: Resource[]): void {
  const { rng } = ctx;
  out.push(buildCondition(ctx, 90, rng.pick(LIFE_LIMITING_CONDITIONS)));
  const isRespect = rng.chance(0.2);
  const consent = buildResusDecision(ctx, {
    suffix: 'eol', kind: isRespect ? 'respect' : 'dnacpr', isForCpr: false, note: rng.pick(DECISION_NOTES), author: ctx.author('palliative'),
  });
  out.push(consent, buildCarePlan(ctx, { suffix: 'eol', kind: 'end-of-life', ...PLAN_TEXT.endOfLife, author: ctx.author('palliative'), supportingInfo: [consent] }));
}

function addSickleCell(ctx: PatientContext, out: Resource[]): void {
  const { rng } = ctx;
  out.push(buildCondition(ctx, 91, 'Sickle cell disease'), buildMedication(ctx, 90, 'Hydroxycarbamide 500mg capsules', 'Two capsules once daily'));
  out.push(buildCarePlan(ctx, { suffix: 'sickle', kind: 'sickle-cell', ...PLAN_TEXT.sickleCell, author: ctx.author('haematology') }));
  if (rng.chance(0.4)) {
    out.push(buildResusDecision(ctx, { suffix: 'respect', kind: 'respect', isForCpr: true, note: rng.pick(RESPECT_FOR_CPR_NOTES), author: ctx.author('haematology') }));
  }
}

function addPlans(ctx: PatientContext, seed: PatientSeed, out: Resource[]): void {
  const { rng } = ctx;
  const age = seed.ageYears;
  const hasEol = rng.chance(age >= 60 ? 0.08 : 0.01);
  if (hasEol) addEndOfLife(ctx, out);
  if (age >= 5 && age <= 60 && rng.chance(0.025)) addSickleCell(ctx, out);
  if (age >= 16 && age <= 80 && rng.chance(0.04)) {
    out.push(buildCarePlan(ctx, { suffix: 'mh', kind: 'mental-health-crisis', ...PLAN_TEXT.mentalHealth, author: ctx.author('mental-health') }));
  }
  if (!hasEol && age >= 75 && rng.chance(0.05)) {
    const isForCpr = rng.chance(0.5);
    const note = isForCpr ? rng.pick(RESPECT_FOR_CPR_NOTES) : rng.pick(DECISION_NOTES);
    out.push(buildResusDecision(ctx, { suffix: 'respect', kind: 'respect', isForCpr, note, author: ctx.author('gp') }));
  }
}

/** Past attendances: completed incidents with the vital signs taken. */
export function addPastIncidents(ctx: PatientContext, state: RecordState, vehicles: readonly string[], count: number, out: Resource[]): void {
  const { rng } = ctx;
  for (let n = 1; n <= count; n++) {
    const authoredAtMs = SEED_EPOCH_MS - rng.int(2, 700) * DAY_MS - rng.int(0, 1439) * 60_000;
    state.incidentSerial += 1;
    const id = `task-${ctx.key}-h${n}`;
    out.push(buildIncident({
      id, incidentNumber: incidentNumber(authoredAtMs, state.incidentSerial), patientId: ctx.patientId,
      vehicle: rng.pick(vehicles), status: 'completed', priority: rng.pick(['stat', 'asap', 'urgent'] as const),
      description: rng.pick(INCIDENT_DESCRIPTIONS), authoredAtMs, lastModifiedAtMs: authoredAtMs + rng.int(40, 180) * 60_000,
    }));
    out.push(...buildVitals(rng, id, ctx.patientId, authoredAtMs + rng.int(10, 30) * 60_000));
  }
}

/** A random mixture of alerts, plans, decisions, problems, medicines and history. */
export function buildCaseloadRecord(ctx: PatientContext, seed: PatientSeed, state: RecordState, vehicles: readonly string[]): Resource[] {
  const out: Resource[] = [];
  addFlags(ctx, out);
  addProblemsAndMedicines(ctx, seed, out, { cond: 1, med: 1 });
  addPlans(ctx, seed, out);
  addPastIncidents(ctx, state, vehicles, ctx.rng.int(0, 2), out);
  return out;
}
