import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { openAuditFile } from '../auditFile';
import { createAuditLog } from '../auditLog';
import { openLocalStore } from '../localStore';
import { openConnection } from '../storage/connection';
import type { SQLiteDatabase } from '../storage/sqlHelpers';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, NewerDatabaseError, readSchemaVersion, runMigrations } from './index';

// Real encrypted files in a temp dir, opened the way the app opens them.
const KEY = '5'.repeat(64);
let dir: string;
const open: SQLiteDatabase[] = [];

const connect = (): SQLiteDatabase => {
  const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
  open.push(db);
  return db;
};
const schemaText = (db: SQLiteDatabase) => db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();
const schemaCookie = (db: SQLiteDatabase) => Number(db.pragma('schema_version', { simple: true }));
/** Every file in the folder with its bytes: "left byte-identical" includes no stray WAL. */
const snapshot = () => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-migrations-'));
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('runMigrations', () => {
  it('brings a new file to the newest version, then costs nothing on later opens', () => {
    const db = connect();
    expect(runMigrations(db)).toEqual({ fromVersion: 0, toVersion: LATEST_SCHEMA_VERSION, applied: MIGRATIONS.map((m) => m.name) });
    const cookie = schemaCookie(db);
    db.close();
    const again = connect();
    expect(runMigrations(again)).toEqual({ fromVersion: LATEST_SCHEMA_VERSION, toVersion: LATEST_SCHEMA_VERSION, applied: [] });
    createAuditLog(again);
    expect(schemaCookie(again)).toBe(cookie); // no DDL on a normal open
  });

  it('runs each step once, in order, each in its own transaction', () => {
    const calls: number[] = [];
    const step = (version: number): Migration => ({
      version,
      name: `step-${version}`,
      up(db) {
        calls.push(version);
        db.exec(`CREATE TABLE step_${version} (x)`);
      },
    });
    const db = connect();
    expect(runMigrations(db, [step(1), step(2)]).applied).toEqual(['step-1', 'step-2']);
    expect(runMigrations(db, [step(1), step(2), step(3)]).applied).toEqual(['step-3']);
    expect(calls).toEqual([1, 2, 3]);
    expect(readSchemaVersion(db)).toBe(3);
  });

  it('refuses a list that skips or repeats a version', () => {
    const db = connect();
    const noop = (version: number): Migration => ({ version, name: `v${version}`, up: () => undefined });
    expect(() => runMigrations(db, [noop(1), noop(3)])).toThrow(/out of order/);
    expect(() => runMigrations(db, [noop(1), noop(1)])).toThrow(/out of order/);
    expect(readSchemaVersion(db)).toBe(0);
  });

  it('rolls back a step that throws: user_version and schema stay as they were', () => {
    const db = connect();
    runMigrations(db);
    const before = { version: readSchemaVersion(db), schema: schemaText(db), cookie: schemaCookie(db) };
    const good: Migration = { version: LATEST_SCHEMA_VERSION + 1, name: 'test-good', up: (d) => d.exec('CREATE TABLE kept (x)') };
    const failing: Migration = {
      version: LATEST_SCHEMA_VERSION + 2,
      name: 'test-failing',
      up(d) {
        d.exec('CREATE TABLE half_done (x)');
        d.exec('ALTER TABLE audit_log ADD COLUMN half_done TEXT');
        d.prepare("INSERT INTO half_done VALUES ('row')").run();
        throw new Error('disk full, say');
      },
    };
    const attempt = () => runMigrations(db, [...MIGRATIONS, good, failing]);
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(new RegExp(`step ${LATEST_SCHEMA_VERSION + 2}, test-failing.*left as it was`));
    // The good step committed on its own; the failing one left no trace.
    expect(readSchemaVersion(db)).toBe(before.version + 1);
    const kept = { type: 'table', name: 'kept', sql: 'CREATE TABLE kept (x)' };
    expect(sorted(schemaText(db))).toEqual(sorted([...before.schema, kept]));
    expect(db.prepare("SELECT name FROM pragma_table_info('audit_log') WHERE name = 'half_done'").get()).toBeUndefined();
  });
});

describe('a database from a newer build', () => {
  it('is refused with a typed error and left byte-identical, by every way in', async () => {
    const store = await openLocalStore({ directory: dir, key: KEY });
    await store.syncState.insert({ key: 'checkpoint', value: { at: 1 } });
    store.audit.append({
      action: 'login', recordedAt: '2026-01-01T00:00:00.000Z', userId: 'u1', practitionerId: null, role: null,
      deviceId: 'test', appVersion: '0.1.0', patientId: null, purpose: null, outcome: 'success', isOffline: true, lastServerTimeAt: null,
    });
    await store.close();
    const future = connect();
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    future.close();
    const before = snapshot();
    expect(Object.keys(before)).toEqual(['onscene.sqlite']);

    const refusal = openLocalStore({ directory: dir, key: KEY });
    await expect(refusal).rejects.toBeInstanceOf(NewerDatabaseError);
    await expect(refusal).rejects.toMatchObject({
      code: 'storage-failed',
      fileVersion: LATEST_SCHEMA_VERSION + 1,
      newestKnownVersion: LATEST_SCHEMA_VERSION,
      message: `This database was written by a newer version of OnScene (format ${LATEST_SCHEMA_VERSION + 1}; this version reads up to ${LATEST_SCHEMA_VERSION}). Install the newer version; nothing was changed.`,
    });
    expect(() => openAuditFile({ directory: dir, key: KEY })).toThrow(NewerDatabaseError);
    const raw = connect();
    expect(() => createAuditLog(raw)).toThrow(NewerDatabaseError);
    raw.close();
    expect(snapshot()).toEqual(before);
  });
});
