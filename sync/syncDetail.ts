import type { PurgedItemView } from '../core/views';
import { createIssueRepo } from '../db/issueRepo';
import type { LocalStore } from '../db/localStore';
import { createOutboxRepo } from '../db/outboxRepo';
import { createScopeRepo } from '../db/scopeRepo';
import type { OutboxDoc, SyncIssueDoc } from '../db/schemas';
import { purgedView } from './syncReview';

/** Issue #14: what the sync detail screen is made from (main adds names and access rules). */
export type SyncDetailFacts = Readonly<{
  outbox: readonly OutboxDoc[];
  refused: readonly SyncIssueDoc[];
  conflicts: readonly SyncIssueDoc[];
  unreadable: readonly SyncIssueDoc[];
  purged: readonly PurgedItemView[];
}>;

const LIMIT = 200;

export async function readSyncDetailFacts(store: LocalStore): Promise<SyncDetailFacts> {
  const issues = createIssueRepo(store);
  return {
    outbox: (await createOutboxRepo(store).all()).slice(0, LIMIT),
    refused: await issues.list('rejected-out', 'open', LIMIT),
    conflicts: await issues.list('conflict', 'open', LIMIT),
    unreadable: await issues.list('quarantined-in', 'open', LIMIT),
    purged: (await issues.list('purged', 'info', LIMIT)).map(purgedView),
  };
}

/** One record's own sync state: when its pulls last covered it, what waits to upload, what is in conflict. */
export type RecordSyncFacts = Readonly<{ upToDateAt: string | null; pending: readonly OutboxDoc[]; conflicts: readonly SyncIssueDoc[] }>;

export async function readRecordSyncFacts(store: LocalStore, patientId: string): Promise<RecordSyncFacts> {
  const scope = await createScopeRepo(store).get(patientId);
  // Up to date as of the oldest type's confirmation: the whole record is at least that fresh.
  const stamps = Object.values(scope?.confirmedAtByType ?? {}).filter((t) => Number.isFinite(Date.parse(t))).sort();
  const pending = (await store.outbox.find({ selector: { patientId } }).exec()).map((d) => d.toJSON() as OutboxDoc);
  const conflicts = (await store.syncIssues.find({ selector: { kind: 'conflict', state: 'open', patientId } }).exec()).map((d) => d.toJSON() as SyncIssueDoc);
  return { upToDateAt: stamps[0] ?? null, pending, conflicts };
}

/** The latest whole-patient purge of this patient, if the record is gone from the device because of it. */
export async function latestPurgeOf(store: LocalStore, patientId: string): Promise<PurgedItemView | null> {
  const docs = await store.syncIssues.find({ selector: { kind: 'purged', state: 'info', patientId }, sort: [{ at: 'desc' }], limit: 5 }).exec();
  const whole = docs.map((d) => purgedView(d.toJSON() as SyncIssueDoc)).find((p) => p.reason !== 'restricted' && p.reason !== 'sharing-objection');
  return whole ?? null;
}
