import type { SQLiteDatabase } from '../storage/sqlHelpers';
import { auditTrailMigration } from './m0001AuditTrail';
import { triageEpisodesMigration } from './m0002TriageEpisodes';
import { patientIndexMigration } from './m0003PatientIndex';
import { type Migration, type MigrationReport, applyMigrations } from './runMigrations';

export { type Migration, type MigrationReport, NewerDatabaseError, readSchemaVersion } from './runMigrations';

/**
 * The local database's SQL formats, oldest first (DESIGN §11). Append only: a released entry is
 * never edited or removed, and each new one comes with a test on a file made by the one before.
 * RxDB's own collections change through their schema versions instead (db/schemas.ts).
 */
export const MIGRATIONS: readonly Migration[] = [auditTrailMigration, triageEpisodesMigration, patientIndexMigration];

/** The newest format this build writes and reads. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file to the newest format (one transaction per step) or refuses one from a newer
 * build with NewerDatabaseError, having written nothing. Tests inject their own list.
 */
export function runMigrations(db: SQLiteDatabase, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  return applyMigrations(db, migrations);
}
