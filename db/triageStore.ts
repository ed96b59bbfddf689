import { AppError } from '../core/errors';
import { type TriageDoc, triageDocSchema } from '../core/triageViews';
import type { SQLiteDatabase } from './storage/sqlHelpers';

/**
 * Triage episodes as entered (table triage_episode, db/migrations/m0002TriageEpisodes.ts).
 * Synchronous on purpose: `save` returns only once the row is committed with synchronous=FULL,
 * so "Saved" on screen means on disk.
 */
export type TriageStore = Readonly<{
  get(triageId: string): TriageStored | null;
  forPatient(patientId: string): TriageStored[];
  /** Inserts (expectedRevision 0) or replaces the row at `expectedRevision`; returns the new revision. */
  save(doc: TriageDoc, expectedRevision: number): number;
  count(): number;
}>;

export type TriageStored = Readonly<{ doc: TriageDoc; revision: number }>;

type Row = { doc: string; revision: number };

/** Thrown when the row moved on since it was read (another window saved first): the caller reads again. */
export class TriageRevisionError extends AppError {
  constructor() {
    super('conflict', 'This triage was changed in another window. It has been reloaded; check your last entry.');
    this.name = 'TriageRevisionError';
  }
}

function parsed(row: Row | undefined): TriageStored | null {
  if (!row) return null;
  const doc = triageDocSchema.safeParse(JSON.parse(row.doc));
  // A row this build cannot read is never shown as if it were empty.
  if (!doc.success) throw new AppError('storage-failed', 'A triage record on this device could not be read. Tell support; nothing has been changed.');
  return { doc: doc.data, revision: row.revision };
}

export function createTriageStore(db: SQLiteDatabase): TriageStore {
  const byId = db.prepare('SELECT doc, revision FROM triage_episode WHERE triage_id = ?');
  const byPatient = db.prepare('SELECT doc, revision FROM triage_episode WHERE patient_id = ? ORDER BY updated_at DESC');
  const insert = db.prepare('INSERT INTO triage_episode (triage_id, patient_id, started_by, revision, updated_at, doc) VALUES (?, ?, ?, 1, ?, ?)');
  // patient_id follows the doc: linking an unidentified patient moves the episode to the patient found (issue #13).
  const update = db.prepare('UPDATE triage_episode SET revision = revision + 1, patient_id = ?, updated_at = ?, doc = ? WHERE triage_id = ? AND revision = ?');
  const count = db.prepare('SELECT count(*) FROM triage_episode').pluck();
  return {
    get: (triageId) => parsed(byId.get(triageId) as Row | undefined),
    forPatient: (patientId) => (byPatient.all(patientId) as Row[]).map((row) => parsed(row) as TriageStored),
    save(doc, expectedRevision) {
      const checked = triageDocSchema.parse(doc);
      const json = JSON.stringify(checked);
      if (expectedRevision === 0) {
        try {
          insert.run(checked.triageId, checked.patientId, checked.startedBy.userId, checked.updatedAt, json);
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new TriageRevisionError();
          throw error;
        }
        return 1;
      }
      const changed = update.run(checked.patientId, checked.updatedAt, json, checked.triageId, expectedRevision).changes;
      if (changed !== 1) throw new TriageRevisionError();
      return expectedRevision + 1;
    },
    count: () => count.get() as number,
  };
}
