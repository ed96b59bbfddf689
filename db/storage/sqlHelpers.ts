import type Database from 'better-sqlite3-multiple-ciphers';
import { SQLiteStorageError } from './errors.ts';

export type SQLiteDatabase = Database.Database;
export type SQLiteStatement = Database.Statement<unknown[], unknown>;

/**
 * Quotes an SQL identifier (table, column or index name).
 * Values are always bound as parameters; only identifiers derived from
 * collection names and schema paths are ever put into SQL text, and they go
 * through here. NUL cannot be represented in an identifier, so it is refused.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) {
    throw new SQLiteStorageError('invalid-argument', 'identifier is empty or contains NUL');
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * SQLite compares identifiers case-insensitively, even quoted ones, while
 * RxDB collection names and field paths are case-sensitive ('aB' and 'ab'
 * are different collections). Upper-case letters are therefore written as
 * '^' + the lower-case letter; '^' cannot occur in RxDB names, so the mapping
 * stays one-to-one and all-lower-case names are unchanged.
 */
export function caseSafeName(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `^${letter.toLowerCase()}`);
}

/** Table names for one (collection, schema version) pair. */
export type CollectionTables = Readonly<{
  docs: string;
  attachments: string;
}>;

export function collectionTableNames(collectionName: string, schemaVersion: number): CollectionTables {
  // RxDB allows '-' and '$' in collection names; quoting keeps them safe.
  const base = `rxdb_${caseSafeName(collectionName)}_v${schemaVersion}`;
  return { docs: base, attachments: `${base}__attachments` };
}

/**
 * A per-connection cache of prepared statements: preparing costs more than
 * running most of our statements, and the SQL text set is small and fixed
 * per collection.
 */
export class StatementCache {
  private readonly statements = new Map<string, SQLiteStatement>();

  constructor(private readonly db: SQLiteDatabase) {}

  get(sql: string): SQLiteStatement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  clear(): void {
    this.statements.clear();
  }
}
