import type { LocalStore } from './localStore';
import type { SyncIssueDoc, SyncIssueKind } from './schemas';

/** What a writer supplies: the conflict-only fields (v1) may be left out by the other kinds. */
export type NewSyncIssue = Omit<SyncIssueDoc, 'base' | 'localRecordedAt'> & Partial<Pick<SyncIssueDoc, 'base' | 'localRecordedAt'>>;

/** Quarantined items, conflicts and purges kept for people to review (syncissues). */
export type IssueRepo = Readonly<{
  put(issue: NewSyncIssue): Promise<void>;
  get(key: string): Promise<SyncIssueDoc | null>;
  /** Newest first. */
  list(kind: SyncIssueKind, state?: SyncIssueDoc['state'], limit?: number): Promise<SyncIssueDoc[]>;
  count(kind: SyncIssueKind, state: SyncIssueDoc['state']): Promise<number>;
}>;

export function createIssueRepo(store: LocalStore): IssueRepo {
  const { syncIssues } = store;
  return {
    async put(issue) {
      await syncIssues.upsert({ base: null, localRecordedAt: '', ...issue });
    },
    async get(key) {
      const doc = await syncIssues.findOne(key).exec();
      return doc ? (doc.toJSON() as SyncIssueDoc) : null;
    },
    async list(kind, state, limit = 200) {
      const selector = state ? { kind, state } : { kind };
      const docs = await syncIssues.find({ selector, sort: [{ at: 'desc' }], limit }).exec();
      return docs.map((d) => d.toJSON() as SyncIssueDoc);
    },
    async count(kind, state) {
      return syncIssues.count({ selector: { kind, state } }).exec();
    },
  };
}
