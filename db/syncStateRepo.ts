import type { LocalStore } from './localStore';

/**
 * Small named values the sync engine keeps between runs (checkpoints, counters, last status).
 * Values are plain JSON objects; callers validate what they read back (zod), since a file
 * written by an older version may hold an older shape.
 */
export type SyncStateRepo = Readonly<{
  get(key: string): Promise<Record<string, unknown> | null>;
  put(key: string, value: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
  /** Keys starting with `prefix`, with their values. */
  withPrefix(prefix: string): Promise<Map<string, Record<string, unknown>>>;
}>;

export function createSyncStateRepo(store: LocalStore): SyncStateRepo {
  const { syncState } = store;
  return {
    async get(key) {
      const doc = await syncState.findOne(key).exec();
      return doc ? (doc.toJSON().value as Record<string, unknown>) : null;
    },
    async put(key, value) {
      await syncState.upsert({ key, value });
    },
    async remove(key) {
      const doc = await syncState.findOne(key).exec();
      await doc?.remove();
    },
    async withPrefix(prefix) {
      const docs = await syncState.find({ selector: { key: { $regex: `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } } }).exec();
      return new Map(docs.map((d) => [d.key, d.toJSON().value as Record<string, unknown>]));
    },
  };
}
