import { withPlan } from './areaRules';
import type { Deletion } from './pullType';
import { isHoldOpen } from './scopeBook';
import type { PurgeNotice, SyncContext } from './syncContext';

/**
 * What a purge needs: the offline purge pass (sync/offlinePurge.ts) has no client, no progress
 * and no server answer, only the purge clock as `serverNow`.
 */
export type PurgeContext = Pick<SyncContext, 'book' | 'resources' | 'issues' | 'stats' | 'serverNow' | 'auditPurge'>;

/** The purge record the user can see (the purged list), after the audit entry and the removal. */
async function recordPurge(ctx: PurgeContext, patientId: string, reason: string, scopes: readonly string[], count: number, keyAt: (at: string) => string): Promise<void> {
  const at = ctx.serverNow();
  await ctx.issues.put({
    key: keyAt(at),
    kind: 'purged',
    state: 'info',
    at,
    resourceType: 'Patient',
    resourceId: patientId,
    patientId,
    reason: `${reason}|${scopes.join(',')}`,
    local: null,
    server: null,
    count,
  });
}

/**
 * Removes a patient from this device: audit entry first (no entry, no purge), then the cached
 * resources (local writes still waiting to be pushed are kept: unsynced work is never discarded),
 * then a purge record the user can see.
 */
export async function purgePatient(ctx: PurgeContext, patientId: string, reason: PurgeNotice['reason']): Promise<void> {
  const doc = ctx.book.get(patientId);
  const scopes = [...new Set(doc?.holds.map((h) => h.scope) ?? [])];
  // Counted before the audit entry so it records what is removed; the entry still comes first.
  const count = await ctx.resources.countPatient(patientId);
  await ctx.auditPurge({ patientId, reason, resourceCount: count });
  await ctx.resources.removePatient(patientId);
  await recordPurge(ctx, patientId, reason, scopes, count, (at) => `purged:${patientId}:${at}`);
  ctx.stats.purgedPatients++;
  if (doc && doc.activePlanIds.length > 0 && reason !== 'deleted-on-server') {
    // Still a plan holder outside the area: keep the facts (no PHI), drop the holds.
    doc.holds = [];
    // Its record is gone with it: a return must confirm every type afresh, and read its Consents again.
    ctx.book.clearRecordFacts(patientId);
  } else ctx.book.forget(patientId);
  await ctx.book.flush();
}

/**
 * Removes part of a patient's cached record that may no longer be held (issue #11: a resource now
 * labelled restricted, or the patient now objects to sharing), in the same order as a whole
 * purge: the audit entry with the count first (no entry, no purge), then the resources, then a
 * purge record the user sees. Keys not cached, or with a local write still waiting, are skipped.
 */
export async function purgeResources(ctx: SyncContext, patientId: string, keys: readonly string[], reason: 'restricted' | 'sharing-objection'): Promise<void> {
  const cached = await ctx.resources.purgeableKeys(keys);
  if (cached.length === 0) return;
  const scopes = [...new Set(ctx.book.get(patientId)?.holds.map((h) => h.scope) ?? [])];
  await ctx.auditPurge({ patientId, reason, resourceCount: cached.length });
  await ctx.resources.removeKeys(cached);
  await recordPurge(ctx, patientId, reason, scopes, cached.length, (at) => `purged:${patientId}:${at}:${reason}:${cached[0] ?? ''}`.slice(0, 300));
}

/** Applies one server-side deletion: a deleted patient is purged whole, anything else just removed. */
export async function applyDeletion(ctx: SyncContext, deletion: Deletion): Promise<void> {
  ctx.stats.deleted++;
  if (deletion.resourceType === 'Patient') {
    if (ctx.book.get(deletion.id)?.holds.length || (await ctx.resources.get('Patient', deletion.id))) await purgePatient(ctx, deletion.id, 'deleted-on-server');
    return;
  }
  await ctx.resources.removeDeleted(deletion.resourceType, deletion.id, deletion.deletedAtMs);
  if (deletion.resourceType === 'CarePlan') {
    // A deleted plan no longer keeps its patient in the caseload; the area scope re-checks membership.
    for (const doc of ctx.book.all()) {
      if (doc.activePlanIds.includes(deletion.id)) ctx.book.setFacts(doc.patientId, { activePlanIds: withPlan(doc.activePlanIds, { id: deletion.id }) });
    }
    await ctx.book.flush();
  }
}

/** Purges every patient no scope holds any more (DESIGN §4: "purge removes the rest and is audited"). */
export async function purgeUnheld(ctx: PurgeContext): Promise<void> {
  const nowMs = Date.parse(ctx.serverNow());
  for (const doc of ctx.book.all()) {
    if (doc.holds.length === 0) continue; // a plan holder outside the area: nothing cached
    const open = doc.holds.filter((h) => isHoldOpen(h, nowMs));
    if (open.length === doc.holds.length) continue;
    if (open.length > 0) {
      doc.holds = open; // one reason ended, another still holds: keep the record
      ctx.book.setFacts(doc.patientId, {});
      continue;
    }
    await purgePatient(ctx, doc.patientId, doc.holds.every((h) => h.scope === 'search') ? 'expired' : 'left-scope');
  }
  await ctx.book.flush();
}

/**
 * Patients cached with no record of why (by a version of OnScene before scopes existed): nothing
 * holds them, so they go like any other. Run once per device; afterwards every write of a patient's
 * resources is followed by its hold, and a crash between the two re-pulls the same page.
 */
export async function purgeOrphans(ctx: SyncContext): Promise<void> {
  for (const { resource } of await ctx.resources.ofType('Patient')) {
    const id = resource.id ?? '';
    if (id && !ctx.book.get(id)?.holds.length) await purgePatient(ctx, id, 'left-scope');
  }
}
