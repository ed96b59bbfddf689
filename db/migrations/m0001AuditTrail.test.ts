import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../core/auditChain';
import type { AuditFact } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import { createAuditLog } from '../auditLog';
import { openLocalStore } from '../localStore';
import { openConnection } from '../storage/connection';
import type { SQLiteDatabase } from '../storage/sqlHelpers';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, readSchemaVersion, runMigrations } from './index';

// fixtures/README.md: written by the code before numbered migrations (commit b3d5788).
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'v0-onscene.sqlite');
const FIXTURE_KEY = '0123456789abcdef'.repeat(4);
const FIXTURE_HEAD = '67a8a4d1d50afc17fbbe4f9484f7c0f6f48ee5be09edd59dbc0ec9affa307e84';
let dir: string;
const open: SQLiteDatabase[] = [];

const connect = (key = FIXTURE_KEY): SQLiteDatabase => {
  const { db } = openConnection({ directory: dir, key }, 'onscene');
  open.push(db);
  return db;
};
const copyFixture = () => fs.copyFileSync(FIXTURE, path.join(dir, 'onscene.sqlite'));
const names = (db: SQLiteDatabase, type: string) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = ? AND name LIKE 'audit%' ORDER BY name").pluck().all(type);

const fact = (n: number): AuditFact => ({
  action: 'record.open', recordedAt: new Date(Date.UTC(2026, 1, 1, 0, 0, n)).toISOString(), userId: 'demo-paramedic-1',
  practitionerId: 'prac-demo-paramedic-1', role: 'paramedic', deviceId: 'onscene-test', appVersion: '0.2.0', patientId: 'pat-000002',
  patientNhsNumber: '9990000026', purpose: 'incident task-2', outcome: 'success', isOffline: false, lastServerTimeAt: null,
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-m0001-'));
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 1 (audit trail) on a store written before numbered migrations', () => {
  it('keeps the RxDB documents and the chain, and takes new entries', async () => {
    copyFixture();
    const before = connect();
    expect(readSchemaVersion(before)).toBe(0);
    before.close();

    const store = await openLocalStore({ directory: dir, key: FIXTURE_KEY });
    try {
      const resources = (await store.resources.find({ sort: [{ key: 'asc' }] }).exec()).map((d) => d.toJSON());
      expect(resources.map((r) => r.key)).toEqual(['Condition/cond-1', 'Patient/pat-000001', 'Patient/pat-000002']);
      expect(resources[1]).toMatchObject({ patientId: 'pat-000001', resource: { resourceType: 'Patient', birthDate: '1950-01-01' } });
      const byPatient = await store.resources.find({ selector: { patientId: 'pat-000001' } }).exec(); // through an index
      expect(byPatient).toHaveLength(2);
      const outbox = (await store.outbox.find({ sort: [{ seq: 'asc' }] }).exec()).map((d) => d.toJSON());
      expect(outbox.map((o) => [o.key, o.seq])).toEqual([['Observation/obs-local-1', 1], ['Observation/obs-local-2', 2]]);

      expect(store.audit.verify()).toEqual({ ok: true, count: 3, lastSeq: 3, lastHash: FIXTURE_HEAD });
      expect(store.audit.pending(10).map((r) => r.seq)).toEqual([2, 3]); // entry 1 was acknowledged
      expect(store.audit.append(fact(1)).seq).toBe(4);
      expect(store.audit.verify()).toMatchObject({ ok: true, count: 4, lastSeq: 4 });
      await store.outbox.insert({ ...outbox[0]!, key: 'Observation/obs-local-3', resourceId: 'obs-local-3', seq: 3 });
    } finally {
      await store.close();
    }
    const after = connect();
    expect(readSchemaVersion(after)).toBe(LATEST_SCHEMA_VERSION);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
    const reopened = await openLocalStore({ directory: dir, key: FIXTURE_KEY });
    expect(await reopened.outbox.count().exec()).toBe(3);
    expect(reopened.audit.verify()).toMatchObject({ ok: true, lastSeq: 4 });
    await reopened.close();
  });

  it('puts back triggers dropped before the upgrade, and never rebuilds a removed head', () => {
    copyFixture();
    const db = connect();
    for (const name of names(db, 'trigger') as string[]) db.exec(`DROP TRIGGER "${name}"`);
    db.exec('DROP TABLE audit_head');
    const log = createAuditLog(db);
    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(names(db, 'trigger')).toHaveLength(7);
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 0, reason: 'head-missing' });
    expect(() => log.append(fact(1))).toThrow(AppError);
  });
});

describe('migration 1 on other files with user_version 0', () => {
  it('a new empty file gets the tables, the triggers and a genesis head', () => {
    const log = createAuditLog(connect());
    expect(log.head()).toEqual({ head: { seq: 0, hash: GENESIS_HASH }, anchor: { seq: 0, hash: GENESIS_HASH } });
    expect(log.append(fact(1)).seq).toBe(1);
    expect(log.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('adopts a chain written before the head table and patient_nhs existed', () => {
    const legacy = connect();
    legacy.exec(`CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, recorded_at TEXT NOT NULL,
      action TEXT NOT NULL, user_id TEXT NOT NULL, patient_id TEXT, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
      acked INTEGER NOT NULL DEFAULT 0)`);
    legacy.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END`);
    legacy.prepare(`INSERT INTO audit_log VALUES (1, 'e1', 't', 'login', 'u', NULL, '{}', ?, ?, 0)`).run(GENESIS_HASH, 'b'.repeat(64));
    expect(runMigrations(legacy).applied).toEqual(MIGRATIONS.map((m) => m.name));
    const migrated = createAuditLog(legacy);
    expect(migrated.head()).toEqual({ head: { seq: 1, hash: 'b'.repeat(64) }, anchor: { seq: 0, hash: GENESIS_HASH } });
    expect(names(legacy, 'trigger')).not.toContain('audit_log_no_update');
    expect(migrated.append(fact(2)).seq).toBe(2);
  });
});
