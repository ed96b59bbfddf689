import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditFact } from '../core/auditEvent';
import { createAuditLog } from './auditLog';
import { repairAuditObjects } from './auditSchema';
import { openConnection } from './storage/connection';
import type { SQLiteDatabase } from './storage/sqlHelpers';

// A real encrypted file; "someone holding the key" is a second plain connection.
const KEY = '7'.repeat(64);
let dir: string;
let db: SQLiteDatabase;

const fact = (n: number): AuditFact => ({
  action: 'login', recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), userId: 'u1', practitionerId: null, role: null,
  deviceId: 'test', appVersion: '0.1.0', patientId: null, purpose: null, outcome: 'success', isOffline: true, lastServerTimeAt: null,
});
const triggers = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all() as string[];
const cookie = () => Number(db.pragma('schema_version', { simple: true }));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-audit-repair-'));
  db = openConnection({ directory: dir, key: KEY }, 'onscene').db;
  createAuditLog(db).appendMany([fact(1), fact(2), fact(3)]);
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('repair of the audit objects on open', () => {
  it('does nothing, and no DDL, when every table and trigger is there', () => {
    const before = cookie();
    expect(repairAuditObjects(db)).toBe(false);
    expect(cookie()).toBe(before);
  });

  it('puts dropped triggers back, and the chain then says what changed', () => {
    const all = triggers();
    for (const name of all) db.exec(`DROP TRIGGER "${name}"`);
    db.prepare("UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 2").run();
    const log = createAuditLog(db);
    expect(triggers()).toEqual(all);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/kept until acknowledged/);
    expect(log.verify()).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('recreates a dropped log table empty, so verify reports the truncation instead of the app failing to open', () => {
    for (const name of triggers()) db.exec(`DROP TRIGGER "${name}"`);
    db.exec('DROP TABLE audit_log');
    const log = createAuditLog(db);
    expect(log.verify()).toMatchObject({ ok: false, reason: 'truncated' });
    expect(log.append(fact(4)).seq).toBe(4); // the head still points past the lost entries
  });
});
