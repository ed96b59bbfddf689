import { APPEND_ONLY_TYPES, mustKeepQueuedVersion, revisionRefusal } from '../core/appendOnly';
import { canonicalJson } from '../core/canonicalJson';
import { AppError } from '../core/errors';
import { patientIdOf } from '../core/patientLink';
import type { OutboxRepo } from '../db/outboxRepo';
import { type ResourceRepo, resourceKey } from '../db/resourceRepo';
import type { FhirResource } from './fhirClient';
import { validateOutgoing } from './resourceSchemas';

export type LocalWriteDeps = Readonly<{ outbox: OutboxRepo; resources: ResourceRepo; now: () => Date }>;

/** Server-owned meta is dropped before sending: the server assigns versionId and lastUpdated. */
export function forUpload(resource: Record<string, unknown>): Record<string, unknown> {
  const { meta, ...rest } = resource as { meta?: Record<string, unknown> };
  if (!meta) return rest;
  const { versionId: _v, lastUpdated: _l, ...keptMeta } = meta;
  return Object.keys(keptMeta).length ? { ...rest, meta: keptMeta } : rest;
}

/**
 * Records a local write: first the outbox entry (the source of truth for the push), then the
 * cached copy the crew sees. A crash between the two loses nothing: the entry re-applies at start.
 * The id is the client's own (e.g. a UUID), so a retried push is idempotent.
 */
export function createLocalWrites(deps: LocalWriteDeps) {
  let lastSeq = 0;
  async function nextSeq(): Promise<number> {
    // Ordered by time of recording, but strictly increasing even if the device clock steps back.
    lastSeq = Math.max(lastSeq + 1, await deps.outbox.maxSeq() + 1, deps.now().getTime());
    return lastSeq;
  }
  return {
    async record(raw: unknown): Promise<string> {
      const checked = validateOutgoing(raw);
      if (!checked.isValid) throw new AppError('bad-request', 'This record is incomplete and cannot be saved. Check the required fields.');
      const resource: FhirResource = checked.resource;
      const type = resource.resourceType;
      const key = resourceKey(type, resource.id);
      const queuedVersions = await deps.outbox.forResource(type, resource.id);
      const queued = queuedVersions.at(-1) ?? null;
      const cached = await deps.resources.get(type as 'Patient', resource.id);
      // The same version again (a journal replayed after a crash): already queued or already current.
      const latestKnown = queued?.resource ?? (cached ? forUpload(cached.resource as unknown as Record<string, unknown>) : null);
      if (latestKnown && canonicalJson(latestKnown) === canonicalJson(forUpload(resource as Record<string, unknown>))) return key;
      const statusOf = (r: Record<string, unknown> | undefined) => (typeof r?.['status'] === 'string' ? r['status'] : undefined);
      const before = queued ? statusOf(queued.resource) : statusOf(cached?.resource as Record<string, unknown> | undefined);
      if (queued || cached) {
        const refusal = revisionRefusal(type, before, statusOf(resource as Record<string, unknown>));
        if (refusal) throw new AppError('bad-request', refusal);
      }
      const cachedMeta = (cached?.resource.meta ?? {}) as { versionId?: string; lastUpdated?: string };
      const recordedAt = deps.now().toISOString();
      const seq = await nextSeq();
      // A queued recorded statement goes first in its own right: its correction is queued behind it.
      const isChained = queued !== null && mustKeepQueuedVersion(type, before);
      const isAppendOnly = APPEND_ONLY_TYPES.has(type);
      await deps.outbox.put({
        key: isChained ? `${key}#${seq}` : (queued?.key ?? key),
        resourceType: type,
        resourceId: resource.id,
        patientId: patientIdOf(resource),
        seq,
        resource: forUpload(resource),
        // A second edit before the push keeps the version the first one started from.
        baseVersionId: queued && !isChained ? queued.baseVersionId : cached && !isAppendOnly ? (cachedMeta.versionId ?? '') : '',
        recordedAt,
      });
      const shown = { ...forUpload(resource), ...(cached ? { meta: cachedMeta } : {}) } as FhirResource;
      await deps.resources.upsertAll([shown], cached?.syncedAt ?? recordedAt);
      return key;
    },
    /** Queues a local version again on top of a given server version (a clinician chose it in review). */
    async requeue(resource: Record<string, unknown>, baseVersionId: string): Promise<void> {
      const checked = validateOutgoing(resource);
      if (!checked.isValid) throw new AppError('bad-request', 'This record is incomplete and cannot be saved. Check the required fields.');
      const r = checked.resource;
      const key = resourceKey(r.resourceType, r.id);
      const recordedAt = deps.now().toISOString();
      await deps.outbox.put({ key, resourceType: r.resourceType, resourceId: r.id, patientId: patientIdOf(r), seq: await nextSeq(), resource: forUpload(r), baseVersionId, recordedAt });
      const cached = await deps.resources.get(r.resourceType as 'Patient', r.id);
      await deps.resources.upsertAll([{ ...forUpload(r), ...(cached ? { meta: cached.resource.meta } : {}) } as FhirResource], cached?.syncedAt ?? recordedAt);
    },
    /** Puts every queued write back into the cached copy (after a crash between the two writes). */
    async reapply(): Promise<void> {
      for (const entry of await deps.outbox.all()) {
        const cached = await deps.resources.get(entry.resourceType as 'Patient', entry.resourceId);
        const meta = cached?.resource.meta;
        await deps.resources.upsertAll([{ ...entry.resource, ...(meta ? { meta } : {}) } as FhirResource], cached?.syncedAt ?? entry.recordedAt);
      }
    },
  };
}
export type LocalWrites = ReturnType<typeof createLocalWrites>;
