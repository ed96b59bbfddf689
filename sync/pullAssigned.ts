import { CLINICAL_TIER_TYPES, SAFETY_TIER_TYPES, SYSTEMS } from '../core/fhirCodes';
import type { ResourceRepo } from '../db/resourceRepo';
import { type FhirClient, FhirClientError, type FhirResource } from './fhirClient';

export type PullProgress = Readonly<{ done: number; total: number | null; phase: string }>;

export type PullResult = Readonly<{
  serverTime: string;
  incidents: number;
  patients: number;
  resources: number;
  rejected: number;
  removed: number;
}>;

export type PullAssignedDeps = Readonly<{
  client: FhirClient;
  repo: ResourceRepo;
  vehicle: string;
  onProgress: (progress: PullProgress) => void;
}>;

/** Incidents still open for the crew. */
const OPEN_TASK_STATUSES = 'requested,received,accepted,ready,in-progress';

async function findVehicleDeviceId(client: FhirClient, vehicle: string): Promise<string> {
  const page = await client.searchPage(`Device?identifier=${encodeURIComponent(`${SYSTEMS.vehicleCallsign}|${vehicle}`)}`);
  const device = page.resources[0];
  // A vehicle the central record does not know is configuration the user must fix, not a retry.
  if (!device) throw new FhirClientError('bad-data', null);
  return device.id;
}

/**
 * The incident scope (DESIGN §4, scope 1): the Tasks assigned to this vehicle and, whole, their
 * patients' records — the safety tier for every patient before anything else. Each page is
 * committed as it arrives, so a drop loses at most the page in flight.
 */
export async function pullAssigned(deps: PullAssignedDeps): Promise<PullResult> {
  const { client, repo, onProgress } = deps;
  let rejected = 0;
  let stored = 0;
  let serverTime = '';
  const commit = async (resources: FhirResource[], pageRejected: number, pageServerTime: string) => {
    await repo.upsertAll(resources, pageServerTime);
    stored += resources.length;
    rejected += pageRejected;
    serverTime = pageServerTime;
  };

  onProgress({ done: 0, total: null, phase: 'Finding incidents assigned to this vehicle' });
  const deviceId = await findVehicleDeviceId(client, deps.vehicle);
  const taskIds = new Set<string>();
  const patientIds = new Set<string>();
  for await (const page of client.searchAll(`Task?owner=Device/${deviceId}&status=${OPEN_TASK_STATUSES}&_include=Task:patient&_count=50`)) {
    for (const r of page.resources) {
      if (r.resourceType === 'Task') taskIds.add(r.id);
      if (r.resourceType === 'Patient') patientIds.add(r.id);
    }
    await commit(page.resources, page.rejected, page.serverTime);
  }
  // Incidents no longer assigned leave the scope (LESSONS: no stale incidents left behind).
  let removed = await repo.removeTypeExcept('Task', taskIds);

  const tiers = [SAFETY_TIER_TYPES, CLINICAL_TIER_TYPES];
  const total = 1 + patientIds.size * tiers.flat().length;
  let done = 1;
  for (const [tierIndex, tier] of tiers.entries()) {
    for (const patientId of patientIds) {
      for (const type of tier) {
        onProgress({ done, total, phase: tierIndex === 0 ? 'Resuscitation decisions, alerts, allergies, care plans' : 'Medications and problems' });
        const seen = new Set<string>();
        for await (const page of client.searchAll(`${type}?patient=${patientId}&_count=100`)) {
          const ofType = page.resources.filter((r) => r.resourceType === type);
          ofType.forEach((r) => seen.add(r.id));
          await commit(ofType, page.rejected, page.serverTime);
        }
        removed += await repo.removeMissing(patientId, type, seen);
        done++;
      }
    }
  }
  onProgress({ done: total, total, phase: 'Up to date' });
  return { serverTime, incidents: taskIds.size, patients: patientIds.size, resources: stored, rejected, removed };
}
