import { canonicalJson } from '../core/canonicalJson';
import type { IssueRepo } from '../db/issueRepo';
import type { OutboxRepo } from '../db/outboxRepo';
import type { ResourceRepo } from '../db/resourceRepo';
import type { OutboxDoc } from '../db/schemas';
import type { FhirClient } from './fhirClient';
import { forUpload } from './outbox';
import { validateIncoming } from './resourceSchemas';

export type PushDeps = Readonly<{
  client: FhirClient;
  outbox: OutboxRepo;
  resources: ResourceRepo;
  issues: IssueRepo;
  batchSize: number;
  serverNow: () => string;
}>;

export type PushResult = { pushed: number; conflicts: number; rejected: number };

/**
 * The resource's content as both sides would write it: besides versionId and lastUpdated, servers
 * stamp `meta.source` with their own request id (HAPI: `#<request id>`), new on every write, so it
 * says nothing about whether the content is ours.
 */
function comparable(resource: Record<string, unknown>): string {
  const upload = forUpload(resource) as { meta?: Record<string, unknown> };
  if (!upload.meta) return canonicalJson(upload);
  const { source: _s, ...meta } = upload.meta;
  const { meta: _m, ...rest } = upload;
  return canonicalJson(Object.keys(meta).length ? { ...rest, meta } : rest);
}

const sameContent = (a: Record<string, unknown>, b: Record<string, unknown>) => comparable(a) === comparable(b);

/** A transaction Bundle of PUTs (client ids: a retried push is idempotent), If-Match on every update. */
function transactionOf(entries: readonly OutboxDoc[]): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries.map((e) => ({
      resource: e.resource,
      request: { method: 'PUT', url: `${e.resourceType}/${e.resourceId}`, ...(e.baseVersionId ? { ifMatch: `W/"${e.baseVersionId}"` } : {}) },
    })),
  };
}

/** The server accepted our version: cache it as confirmed, unless the crew edited again meanwhile. */
async function accepted(deps: PushDeps, entry: OutboxDoc, server: unknown, result: PushResult): Promise<void> {
  result.pushed++;
  const checked = validateIncoming(server, deps.client.baseUrl);
  const isRemoved = await deps.outbox.removeIfUnchanged(entry.key, entry.seq);
  if (!checked.isValid) return; // the next pull brings the server's version
  // A correction queued behind this version stays what the crew sees until it is accepted too.
  const isLastQueued = isRemoved && (await deps.outbox.forResource(entry.resourceType, entry.resourceId)).length === 0;
  if (isLastQueued) await deps.resources.upsertFromServer([checked.resource], deps.serverNow());
  else if (isRemoved) return;
  else {
    // A newer local edit is queued: it now builds on the version we just created.
    const newer = await deps.outbox.get(entry.key);
    if (newer) await deps.outbox.put({ ...newer, baseVersionId: checked.resource.meta.versionId ?? newer.baseVersionId });
  }
}

/**
 * The version the local edit started from (vread), so review can say who changed which field and
 * combine lists three-way. A server without version history, or any failure, leaves it unknown:
 * review is then two-way, never blocked.
 */
async function baseVersion(deps: PushDeps, entry: OutboxDoc): Promise<Record<string, unknown> | null> {
  if (!entry.baseVersionId) return null;
  try {
    const base = await deps.client.read(entry.resourceType, entry.resourceId, entry.baseVersionId);
    const checked = validateIncoming(base, deps.client.baseUrl);
    return checked.isValid ? (checked.resource as unknown as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * A 412: someone changed the resource since our base version. If the server already holds exactly
 * our edit (our own earlier push whose answer was lost), that is success. Otherwise the server
 * version becomes current and ours goes to the review queue with both (LESSONS: CHT hid edits).
 */
async function conflicted(deps: PushDeps, entry: OutboxDoc, result: PushResult): Promise<void> {
  const server = await deps.client.read(entry.resourceType, entry.resourceId);
  if (server && typeof server === 'object' && sameContent(server as Record<string, unknown>, entry.resource)) return accepted(deps, entry, server, result);
  result.conflicts++;
  const checked = validateIncoming(server, deps.client.baseUrl);
  const base = await baseVersion(deps, entry);
  await deps.issues.put({
    key: `conflict:${entry.key}:${entry.seq}`,
    kind: 'conflict',
    state: 'open',
    at: deps.serverNow(),
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    patientId: entry.patientId,
    reason: `412 base ${entry.baseVersionId}`,
    local: entry.resource,
    server: checked.isValid ? checked.resource : null,
    count: 1,
    base,
    localRecordedAt: entry.recordedAt,
  });
  if (await deps.outbox.removeIfUnchanged(entry.key, entry.seq)) {
    if (checked.isValid) await deps.resources.upsertFromServer([checked.resource], deps.serverNow());
  }
}

/** Any other 4xx for one entry: set it aside with the status, and let the rest of the queue go. */
async function rejected(deps: PushDeps, entry: OutboxDoc, status: number, result: PushResult): Promise<void> {
  result.rejected++;
  await deps.issues.put({
    key: `out:${entry.key}:${entry.seq}`,
    kind: 'rejected-out',
    state: 'open',
    at: deps.serverNow(),
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    patientId: entry.patientId,
    reason: `HTTP ${status}`,
    local: entry.resource,
    server: null,
    count: 1,
  });
  await deps.outbox.removeIfUnchanged(entry.key, entry.seq);
}

async function pushBatch(deps: PushDeps, entries: readonly OutboxDoc[], result: PushResult): Promise<void> {
  if (entries.length === 0) return;
  const outcome = await deps.client.transaction(transactionOf(entries));
  if (outcome.isOk) {
    for (const [i, entry] of entries.entries()) {
      const server = outcome.entries[i]?.resource ?? (await deps.client.read(entry.resourceType, entry.resourceId));
      await accepted(deps, entry, server, result);
    }
    return;
  }
  const named = outcome.failedIndex !== null ? entries[outcome.failedIndex] : undefined;
  if (named || entries.length === 1) {
    const culprit = named ?? (entries[0] as OutboxDoc);
    if (outcome.status === 412 || outcome.status === 409) await conflicted(deps, culprit, result);
    else await rejected(deps, culprit, outcome.status, result);
    return pushBatch(deps, entries.filter((e) => e !== culprit), result);
  }
  // The server did not say which entry failed: halve until the culprit stands alone.
  const half = Math.ceil(entries.length / 2);
  await pushBatch(deps, entries.slice(0, half), result);
  await pushBatch(deps, entries.slice(half), result);
}

/**
 * A transaction may name a resource once (FHIR transaction rules): a batch stops before the
 * second queued version of a resource, which goes in the next one, after its original.
 */
function untilRepeatedResource(entries: readonly OutboxDoc[]): OutboxDoc[] {
  const seen = new Set<string>();
  const batch: OutboxDoc[] = [];
  for (const entry of entries) {
    const resource = `${entry.resourceType}/${entry.resourceId}`;
    if (seen.has(resource)) break;
    seen.add(resource);
    batch.push(entry);
  }
  return batch;
}

/** Pushes the outbox oldest first in transaction Bundles; network and 5xx failures leave it intact for the next run. */
export async function pushOutbox(deps: PushDeps): Promise<PushResult> {
  const result: PushResult = { pushed: 0, conflicts: 0, rejected: 0 };
  let lastSeq = -1;
  for (;;) {
    // Entries re-queued during the push (a newer edit) get a higher seq and go in a later batch.
    const batch = untilRepeatedResource(await deps.outbox.after(lastSeq, deps.batchSize));
    if (batch.length === 0) return result;
    lastSeq = Math.max(...batch.map((e) => e.seq));
    await pushBatch(deps, batch, result);
  }
}
