import type { Migration } from './runMigrations';

/**
 * Format 2: triage episodes (issue #12) — what a crew enters, kept as entered, one row per
 * episode. Plain SQL on the audit connection rather than an RxDB collection: each save is one
 * synchronous, fully synced statement before the UI is told "Saved" (a SIGKILL right after loses
 * nothing), and RxDB's open-source build limits open collections per process.
 *
 * - `doc` is the episode as JSON (core/triageViews.ts triageDocSchema), read back through zod.
 * - `revision` rises by one per save; a save names the revision it read, so two windows cannot
 *   silently overwrite each other.
 * - Rows are never deleted by sync or purge: an episode holds clinical record made on this device.
 *
 * Frozen: a later change to this table is a new migration.
 */
export const triageEpisodesMigration: Migration = {
  version: 2,
  name: 'triage-episodes',
  up(db) {
    db.exec(`
CREATE TABLE triage_episode (
  triage_id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL,
  started_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX triage_episode_patient ON triage_episode (patient_id, updated_at);
`);
  },
};
