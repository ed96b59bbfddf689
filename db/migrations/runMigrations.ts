import { AppError } from '../../core/errors';
import type { SQLiteDatabase } from '../storage/sqlHelpers';

/**
 * One step of the file format, in the style of Signal Desktop's ts/sql/migrations/index.node.ts:
 * forward-only, never edited once released (a fix is a new migration), run in one transaction.
 */
export type Migration = Readonly<{
  /** 1, 2, 3...: the file's format (PRAGMA user_version) once this step has run. */
  version: number;
  /** Short and stable: it appears in errors and reports. */
  name: string;
  /** Runs inside the step's transaction; throwing leaves the file exactly as it was. */
  up(db: SQLiteDatabase): void;
}>;

export type MigrationReport = Readonly<{ fromVersion: number; toVersion: number; applied: readonly string[] }>;

/** A file whose format is newer than any migration this build knows: refused, never written. */
export class NewerDatabaseError extends AppError {
  readonly fileVersion: number;
  readonly newestKnownVersion: number;
  constructor(fileVersion: number, newestKnownVersion: number) {
    super(
      'storage-failed',
      `This database was written by a newer version of OnScene (format ${fileVersion}; this version reads up to ${newestKnownVersion}). ` +
        'Install the newer version; nothing was changed.',
    );
    this.name = 'NewerDatabaseError';
    this.fileVersion = fileVersion;
    this.newestKnownVersion = newestKnownVersion;
  }
}

/** The file's format: PRAGMA user_version (0 for a new file, or one made before migrations existed). */
export function readSchemaVersion(db: SQLiteDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** A list that skips or repeats a version would silently skip a step on some devices. */
function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1 || migration.name.length === 0) {
      throw new Error(`migration list out of order at position ${index}: versions must run 1, 2, 3... with a name each`);
    }
  });
}

/**
 * Brings the file up to the newest migration in `migrations`, one transaction per step, and
 * refuses (before writing anything) a file whose user_version is beyond the list. Safe to call on
 * every open: an up-to-date file costs one pragma read.
 */
export function applyMigrations(db: SQLiteDatabase, migrations: readonly Migration[]): MigrationReport {
  checkList(migrations);
  const newest = migrations.length;
  const fromVersion = readSchemaVersion(db);
  if (fromVersion > newest) throw new NewerDatabaseError(fromVersion, newest);

  // BEGIN IMMEDIATE takes the write lock before the version is read again inside the
  // transaction, so a second process opening the same file (the IG command line beside the
  // app) either waits and then skips the step, or applied it first.
  const step = db.transaction((migration: Migration): boolean => {
    const current = readSchemaVersion(db);
    if (current > newest) throw new NewerDatabaseError(current, newest);
    if (current >= migration.version) return false;
    migration.up(db);
    // user_version lives in the file header (page 1): it commits or rolls back with the step.
    db.pragma(`user_version = ${migration.version}`);
    return true;
  });

  const applied: string[] = [];
  for (const migration of migrations.slice(fromVersion)) {
    try {
      if (step.immediate(migration)) applied.push(migration.name);
    } catch (error) {
      if (error instanceof NewerDatabaseError) throw error;
      throw new AppError(
        'storage-failed',
        `The local database could not be brought up to date (step ${migration.version}, ${migration.name}); it was left as it was. ` +
          'Try again; if it keeps happening, tell support.',
        { cause: error },
      );
    }
  }
  return { fromVersion, toVersion: readSchemaVersion(db), applied };
}
