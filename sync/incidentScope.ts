import { CLINICAL_TIER_TYPES, HISTORY_TIER_TYPES, SAFETY_TIER_TYPES, SYSTEMS } from '../core/fhirCodes';
import { patientIdOf } from '../core/patientLink';
import { FhirClientError } from './fhirClient';
import { quarantineIncoming, type StoredResource } from './pullType';
import { validateIncoming } from './resourceSchemas';
import type { ScopePlan } from './scopePull';
import { type SyncContext, pendingTypesOnJoin } from './syncContext';

/** Incidents still open for the crew (FHIR R4 Task.status). */
const OPEN_TASK_STATUSES = 'requested,received,accepted,ready,in-progress';

/**
 * How long an incident's patient stays on the device after the incident is closed or reassigned.
 * The crew is often still with the patient then (handing over at the emergency department, or
 * the dispatcher closed the job a little early): purging at that moment would take the record,
 * resuscitation decision included, from under them. Two hours covers a long handover queue while
 * still bounding how long a patient who is no longer ours stays cached (DESIGN §4 purge).
 */
export const INCIDENT_EXIT_GRACE_MS = 2 * 60 * 60 * 1000;

/** Scope 1: the incident patients' whole records, safety tier first (DESIGN §4). */
export const INCIDENT_PLAN: ScopePlan = {
  scope: 'incident',
  label: 'Incident patients',
  tiers: [
    ['safety', ['Patient', ...SAFETY_TIER_TYPES]],
    ['clinical', [...CLINICAL_TIER_TYPES]],
    ['history', [...HISTORY_TIER_TYPES]],
  ],
  strategy: 'list',
};

async function vehicleDeviceId(ctx: SyncContext, vehicle: string): Promise<string> {
  const key = `device:${vehicle}`;
  const known = (await ctx.state.get(key))?.id;
  if (typeof known === 'string') return known;
  const page = await ctx.client.page(`Device?identifier=${encodeURIComponent(`${SYSTEMS.vehicleCallsign}|${vehicle}`)}`);
  const device = validateIncoming(page.entries[0]?.resource, ctx.client.baseUrl);
  // A vehicle the central record does not know is configuration to fix, not something to retry.
  if (!device.isValid) throw new FhirClientError('bad-data', null);
  await ctx.state.put(key, { id: device.resource.id });
  return device.resource.id;
}

/**
 * Who is in scope 1: the Tasks assigned to this vehicle, read whole every run (they are few, and a
 * reassigned Task no longer matches `owner=`, so only a full read notices it leaving).
 */
export async function refreshIncidents(ctx: SyncContext, vehicle: string): Promise<void> {
  ctx.progress.step('Finding incidents assigned to this vehicle');
  const deviceId = await vehicleDeviceId(ctx, vehicle);
  const tasks: StoredResource[] = [];
  const patients: StoredResource[] = [];
  let url: string | null = `Task?owner=Device/${encodeURIComponent(deviceId)}&status=${OPEN_TASK_STATUSES}&_include=Task:patient&_count=50`;
  while (url) {
    const page = await ctx.client.page(url);
    ctx.noteServerTime(page.serverTime);
    for (const entry of page.entries) {
      const checked = validateIncoming(entry.resource, ctx.client.baseUrl);
      if (!checked.isValid) await quarantineIncoming(ctx, checked);
      else if (checked.resource.resourceType === 'Task') tasks.push(checked.resource);
      else if (checked.resource.resourceType === 'Patient') patients.push(checked.resource);
    }
    url = page.nextUrl;
  }
  const now = ctx.serverNow();
  await ctx.resources.upsertFromServer([...tasks, ...patients], now);
  await ctx.resources.removeTypeExcept('Task', new Set(tasks.map((t) => t.id)));
  const assigned = new Map(tasks.map((t) => [patientIdOf(t), t.id] as const).filter(([p]) => p !== ''));
  const types = INCIDENT_PLAN.tiers.flatMap(([, t]) => [...t]);
  for (const [patientId, taskId] of assigned) {
    // The included Patient was just stored: only the other types may lie behind a checkpoint.
    ctx.book.join(patientId, 'incident', { ref: taskId, pending: pendingTypesOnJoin(ctx, 'incident', types, ['Patient']) });
  }
  const graceEnd = new Date(Date.parse(now) + ctx.incidentGraceMs).toISOString();
  for (const patientId of ctx.book.members('incident')) if (!assigned.has(patientId)) ctx.book.exit(patientId, 'incident', graceEnd);
  await ctx.book.flush();
  ctx.progress.stepDone();
}
