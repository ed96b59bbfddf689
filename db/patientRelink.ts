import { patientIdOf } from '../core/patientLink';
import { repointReferences } from '../core/triageLink';
import type { LocalStore } from './localStore';
import type { CachedResourceDoc, OutboxDoc } from './schemas';

export type RelinkPlan = Readonly<{
  fromPatientId: string;
  toPatientId: string;
  /** Only these resource ids move (the episode's own); the temporary Patient itself never does. */
  resourceIds: ReadonlySet<string>;
}>;

export type RelinkResult = Readonly<{
  /** Queued entries re-pointed in place (outbox keys). */
  moved: readonly string[];
  /** Resources of the episode that already left the device: cached, nothing queued. */
  uploaded: readonly CachedResourceDoc[];
}>;

/**
 * Issue #13: re-points the queued (not yet uploaded) entries of an episode from one patient to
 * another, and their cached copies with them. Each rewritten entry gets a new, higher seq (in its
 * old order): a push already sending the old version then finds the entry changed, keeps it
 * queued and sends it again on top of the version it created (sync/push.ts `accepted`), so the
 * new reference always reaches the central record and no entry is lost.
 */
export async function relinkQueued(store: LocalStore, plan: RelinkPlan, nowMs: number): Promise<RelinkResult> {
  const queued = (await store.outbox.find({ selector: { patientId: plan.fromPatientId }, sort: [{ seq: 'asc' }] }).exec())
    .map((d) => d.toJSON() as OutboxDoc)
    .filter((e) => plan.resourceIds.has(e.resourceId) && !(e.resourceType === 'Patient' && e.resourceId === plan.fromPatientId));
  const newest = await store.outbox.findOne({ selector: {}, sort: [{ seq: 'desc' }] }).exec();
  let seq = Math.max(newest?.seq ?? 0, nowMs);
  const rewritten: OutboxDoc[] = queued.map((entry) => {
    const resource = repointReferences(entry.resource, plan.fromPatientId, plan.toPatientId);
    return { ...entry, resource, patientId: patientIdOf(resource as never), seq: ++seq };
  });
  if (rewritten.length > 0) {
    const result = await store.outbox.bulkUpsert(rewritten);
    if (result.error.length > 0) throw new Error(`outbox relink failed for ${result.error.length} entries`);
  }
  const cached = (await store.resources.find({ selector: { patientId: plan.fromPatientId } }).exec())
    .map((d) => d.toJSON() as CachedResourceDoc)
    .filter((d) => plan.resourceIds.has(d.resourceId) && d.resourceType !== 'Patient');
  const queuedKeys = new Set(queued.map((e) => `${e.resourceType}/${e.resourceId}`));
  const shown = cached.filter((d) => queuedKeys.has(d.key)).map((d) => {
    const resource = repointReferences(d.resource, plan.fromPatientId, plan.toPatientId);
    return { ...d, resource, patientId: patientIdOf(resource as never) };
  });
  if (shown.length > 0) {
    const result = await store.resources.bulkUpsert(shown);
    if (result.error.length > 0) throw new Error(`cached relink failed for ${result.error.length} resources`);
  }
  return { moved: rewritten.map((e) => e.key), uploaded: cached.filter((d) => !queuedKeys.has(d.key)) };
}

/** Ids among `resourceIds` cached for `patientId` with nothing queued: already accepted by the central record. */
export async function uploadedOf(store: LocalStore, patientId: string, resourceIds: ReadonlySet<string>): Promise<string[]> {
  const cached = (await store.resources.find({ selector: { patientId } }).exec()).map((d) => d.toJSON() as CachedResourceDoc).filter((d) => resourceIds.has(d.resourceId) && d.resourceType !== 'Patient');
  if (cached.length === 0) return [];
  const queued = new Set((await store.outbox.find({ selector: { patientId } }).exec()).map((d) => `${d.resourceType}/${d.resourceId}`));
  return cached.filter((d) => !queued.has(d.key)).map((d) => d.key);
}
