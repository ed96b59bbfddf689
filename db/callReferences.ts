import type { SQLiteDatabase } from './storage/sqlHelpers';

/** 111 calls started on this device (table call_reference, migration 3): what "a call that exists" means offline. */
export type CallReferences = Readonly<{
  /** Records the call (first start wins; starting it again changes nothing). */
  record(reference: string, startedAt: string, startedBy: string): void;
  find(reference: string): Readonly<{ reference: string; startedAt: string; startedBy: string }> | null;
}>;

export function createCallReferences(db: SQLiteDatabase): CallReferences {
  const insert = db.prepare('INSERT OR IGNORE INTO call_reference (reference, started_at, started_by) VALUES (?, ?, ?)');
  const byReference = db.prepare('SELECT reference, started_at AS startedAt, started_by AS startedBy FROM call_reference WHERE reference = ?');
  return {
    record: (reference, startedAt, startedBy) => void insert.run(reference, startedAt, startedBy),
    find: (reference) => (byReference.get(reference) as { reference: string; startedAt: string; startedBy: string } | undefined) ?? null,
  };
}
