import type { LocalStore } from './localStore';
import type { OutboxDoc } from './schemas';

/** Local writes waiting for the central record, oldest first. */
export type OutboxRepo = Readonly<{
  put(doc: OutboxDoc): Promise<void>;
  get(key: string): Promise<OutboxDoc | null>;
  /** Oldest entries after `seq`, up to `limit`. */
  after(seq: number, limit: number): Promise<OutboxDoc[]>;
  all(): Promise<OutboxDoc[]>;
  /** Every queued version of one resource, oldest first (a correction can wait behind its original). */
  forResource(resourceType: string, resourceId: string): Promise<OutboxDoc[]>;
  count(): Promise<number>;
  /** Removes the entry only if it is still the one that was pushed (`seq`): a newer local edit stays queued. */
  removeIfUnchanged(key: string, seq: number): Promise<boolean>;
  /** Highest seq ever used, so new entries always sort after old ones. */
  maxSeq(): Promise<number>;
}>;

export function createOutboxRepo(store: LocalStore): OutboxRepo {
  const { outbox } = store;
  const json = (d: { toJSON(): unknown }) => d.toJSON() as OutboxDoc;
  return {
    async put(doc) {
      await outbox.upsert(doc);
    },
    async get(key) {
      const doc = await outbox.findOne(key).exec();
      return doc ? json(doc) : null;
    },
    async after(seq, limit) {
      return (await outbox.find({ selector: { seq: { $gt: seq } }, sort: [{ seq: 'asc' }], limit }).exec()).map(json);
    },
    async all() {
      return (await outbox.find({ sort: [{ seq: 'asc' }] }).exec()).map(json);
    },
    async forResource(resourceType, resourceId) {
      return (await outbox.find({ selector: { resourceType, resourceId }, sort: [{ seq: 'asc' }] }).exec()).map(json);
    },
    async count() {
      return outbox.count().exec();
    },
    async removeIfUnchanged(key, seq) {
      const doc = await outbox.findOne(key).exec();
      if (!doc || doc.seq !== seq) return false;
      await doc.remove();
      return true;
    },
    async maxSeq() {
      const doc = await outbox.findOne({ selector: {}, sort: [{ seq: 'desc' }] }).exec();
      return doc?.seq ?? 0;
    },
  };
}
