import type { Resource } from '@medplum/fhirtypes';
import { DEMO_PATIENT_COUNT, DEMO_VEHICLE, OTHER_VEHICLE } from './demoCast';
import { createRng, type Rng } from './prng';
import { type PatientContext } from './synthClinical';
import { buildDemoPatients } from './synthDemo';
import { buildIncident, incidentNumber } from './synthIncidents';
import { INCIDENT_DESCRIPTIONS } from './synthLists';
import {
  buildClinicians, buildDemoStaff, buildOrganizations, buildPatient, buildVehicle, createNhsNumberSequence,
  patientKey, randomPatientSeed, type StaffMember,
} from './synthPeople';
import { buildExtras } from './synthExtras';
import { buildCaseloadRecord, type RecordState } from './synthRecord';
import { buildShapePatients } from './synthShapeCast';
import { SEED_EPOCH_MS, SEED_STEP_MS, isoInstant } from './synthTime';

export const MAX_PATIENTS = 500_000;

export type DatasetOptions = Readonly<{ patients: number; seed: number }>;

/** Callsigns of the seeded fleet; K101 is the demo crew's vehicle. */
export const VEHICLES: readonly string[] = [DEMO_VEHICLE, 'K102', 'K103', 'K104', 'K105', 'K106', 'K107', 'K108', OTHER_VEHICLE];

/**
 * The issue #11 shapes for the random population come from a stream of their own (the seed mixed
 * with this constant), so every resource the caseload generator made before stays as it was.
 */
const EXTRAS_STREAM = 0x9e3779b9;
/** The shapes cast takes NHS numbers from far along the test-range sequence: no size reaches them. */
const SHAPES_NHS_COUNTER = 900_000;

/** Roughly one area incident in progress per 150 patients, spread over the other vehicles. */
const ACTIVE_INCIDENT_EVERY = 150;

/** Validates the options; throws RangeError with a message a CLI user can act on. */
export function assertDatasetOptions(opts: DatasetOptions): void {
  if (!Number.isInteger(opts.patients) || opts.patients < DEMO_PATIENT_COUNT || opts.patients > MAX_PATIENTS) {
    throw new RangeError(`patients must be an integer from ${DEMO_PATIENT_COUNT} (the demo cast) to ${MAX_PATIENTS}`);
  }
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) {
    throw new RangeError('seed must be an integer from 0 to 4294967295');
  }
}

function authorPicker(rng: Rng, staff: readonly StaffMember[]): PatientContext['author'] {
  return (kind) => {
    const pool = staff.filter((s) => s.kind === kind);
    return rng.pick(pool.length ? pool : staff);
  };
}

function activeAreaIncident(rng: Rng, key: string, patientId: string, state: RecordState): Resource {
  const authoredAtMs = SEED_EPOCH_MS - rng.int(3, 90) * 60_000;
  state.incidentSerial += 1;
  return buildIncident({
    id: `task-${key}-active`, incidentNumber: incidentNumber(authoredAtMs, state.incidentSerial), patientId,
    vehicle: rng.pick(VEHICLES.filter((v) => v !== DEMO_VEHICLE)), status: rng.chance(0.5) ? 'ready' : 'in-progress',
    priority: rng.pick(['stat', 'asap', 'urgent'] as const), description: rng.pick(INCIDENT_DESCRIPTIONS),
    authoredAtMs, lastModifiedAtMs: authoredAtMs + 60_000,
  });
}

/**
 * The whole synthetic central record, deterministic for (patients, seed): same resources, ids
 * and meta (versionId "1", lastUpdated = seed epoch + index seconds), in write order.
 */
export function generateDataset(opts: DatasetOptions): Resource[] {
  assertDatasetOptions(opts);
  const rng = createRng(opts.seed);
  const clinicians = buildClinicians(rng, Math.min(200, Math.max(8, Math.ceil(opts.patients / 100))));
  const out: Resource[] = [...buildOrganizations(), ...buildDemoStaff(), ...clinicians.resources, ...VEHICLES.map(buildVehicle)];
  const nextNhsNumber = createNhsNumberSequence();
  const state: RecordState = { incidentSerial: 0 };
  out.push(...buildDemoPatients(nextNhsNumber, state));
  const author = authorPicker(rng, clinicians.staff);
  const extrasRng = createRng((opts.seed ^ EXTRAS_STREAM) >>> 0);
  for (let index = DEMO_PATIENT_COUNT + 1; index <= opts.patients; index++) {
    const key = patientKey(index);
    const seed = randomPatientSeed(rng);
    const built = buildPatient(rng, index, nextNhsNumber(), seed);
    const patientId = built.id ?? '';
    const ctx: PatientContext = { rng, key, patientId, author };
    const record = buildCaseloadRecord(ctx, seed, state, VEHICLES);
    const extras = buildExtras({ rng: extrasRng, key, patient: built, seed, staff: clinicians.staff, record });
    out.push(extras.patient, ...record, ...extras.added);
    if (index % ACTIVE_INCIDENT_EVERY === 0) out.push(activeAreaIncident(rng, key, patientId, state));
  }
  out.push(...buildShapePatients(createNhsNumberSequence(SHAPES_NHS_COUNTER)));
  out.forEach((r, i) => {
    // Labels (meta.security) are content; the seed only sets the version and the time.
    r.meta = { ...r.meta, versionId: '1', lastUpdated: isoInstant(SEED_EPOCH_MS + i * SEED_STEP_MS) };
  });
  return out;
}
