import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainHashOfCanonical, entryCanonicalJson } from '../core/auditChain';
import type { AuditFact } from '../core/auditEvent';
import { AppError } from '../core/errors';
import { type AuditLog, createAuditLog, sha256Hex } from './auditLog';
import { openConnection } from './storage/connection';
import type { SQLiteDatabase } from './storage/sqlHelpers';

// A real encrypted SQLite file in a temp dir, as the app opens it. Tampering is simulated the
// way an attacker holding the key would: drop the triggers, then edit rows with plain SQL.
const KEY = 'a'.repeat(64);
let dir: string;
let db: SQLiteDatabase;
let log: AuditLog;
const extra: SQLiteDatabase[] = [];

const open = (busyTimeoutMs?: number) => {
  const connection = openConnection({ directory: dir, key: KEY, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) }, 'onscene').db;
  extra.push(connection);
  return connection;
};

function auditFact(n: number, overrides: Partial<AuditFact> = {}): AuditFact {
  return {
    action: 'record.open',
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    userId: 'demo-paramedic-1',
    practitionerId: 'prac-demo-paramedic-1',
    role: 'paramedic',
    deviceId: 'onscene-test',
    appVersion: '0.1.0',
    patientId: `pat-${String(n).padStart(6, '0')}`,
    patientNhsNumber: '9990000018',
    purpose: 'incident task-1',
    outcome: 'success',
    isOffline: false,
    lastServerTimeAt: null,
    ...overrides,
  };
}

const dropTriggers = (target: SQLiteDatabase) => {
  for (const { name } of target.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) {
    target.exec(`DROP TRIGGER "${name}"`);
  }
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-audit-'));
  db = open();
  log = createAuditLog(db);
  log.appendMany(Array.from({ length: 5 }, (_, i) => auditFact(i + 1)));
});
afterEach(() => {
  for (const connection of extra.splice(0)) if (connection.open) connection.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('appending', () => {
  it('chains gap-free entries and keeps the head in step', () => {
    expect(log.verify()).toMatchObject({ ok: true, count: 5, lastSeq: 5 });
    const row = log.append(auditFact(6));
    expect(row.seq).toBe(6);
    expect(log.head()).toEqual({ head: { seq: 6, hash: row.hash }, anchor: { seq: 0, hash: GENESIS_HASH } });
  });

  it('commits concurrent appendAsync calls as one group, in call order', async () => {
    const rows = await Promise.all(Array.from({ length: 40 }, (_, i) => log.appendAsync(auditFact(10 + i))));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => 6 + i));
    expect(log.verify()).toMatchObject({ ok: true, lastSeq: 45 });
  });

  it('survives closing and reopening the file (no DDL on a normal open)', () => {
    db.close();
    const reopened = createAuditLog(open());
    expect(reopened.verify()).toMatchObject({ ok: true, lastSeq: 5 });
    expect(reopened.append(auditFact(6)).seq).toBe(6);
  });
});

describe('triggers refuse edits through SQL', () => {
  it('refuses UPDATE of an entry, DELETE of an unacknowledged one, and inserts that do not extend the head', () => {
    expect(() => db.prepare("UPDATE audit_log SET patient_id = 'pat-x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 5').run()).toThrow(/kept until acknowledged/);
    const head = log.head()!.head;
    const forged = db.prepare(
      `INSERT INTO audit_log (seq, event_id, recorded_at, action, user_id, body, prev_hash, hash) VALUES (?, 'x', 'x', 'x', 'x', '{}', ?, 'h')`,
    );
    expect(() => forged.run(head.seq + 2, head.hash)).toThrow(/extend the chain head/);
    expect(() => forged.run(head.seq + 1, GENESIS_HASH)).toThrow(/extend the chain head/);
  });

  it('refuses deleting an acknowledged entry above the anchor, and any edit of the head', () => {
    log.markAcked([1, 2]);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/anchored/);
    expect(() => db.prepare('UPDATE audit_head SET head_seq = 3').run()).toThrow(/moves forward/);
    expect(() => db.prepare('UPDATE audit_head SET anchor_seq = 4, anchor_hash = (SELECT hash FROM audit_log WHERE seq = 4)').run()).toThrow(/moves forward/);
    expect(() => db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be removed/);
    expect(() => db.prepare("INSERT INTO audit_head VALUES (1, 0, 'x', 0, 'x')").run()).toThrow();
  });
});

describe('verify detects tampering by someone who dropped the triggers', () => {
  beforeEach(() => dropTriggers(db));

  it('an edited field in the event', () => {
    db.prepare("UPDATE audit_log SET body = replace(body, 'incident task-1', 'incident task-2') WHERE seq = 3").run();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 3, reason: 'hash' });
  });

  it('an edited index column (the patient a report looks up)', () => {
    db.prepare("UPDATE audit_log SET patient_id = 'pat-999999' WHERE seq = 2").run();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 2, reason: 'hash' });
  });

  it('a deleted entry', () => {
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 3, reason: 'gap' });
  });

  it('two entries swapped (contents moved, seq kept)', () => {
    const swap = db.transaction(() => {
      db.prepare('UPDATE audit_log SET seq = -3 WHERE seq = 3').run();
      db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = 4').run();
      db.prepare('UPDATE audit_log SET seq = 4 WHERE seq = -3').run();
    });
    swap();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 3, reason: 'prev-hash' });
  });

  it('a forged entry inserted in the middle (later ones renumbered)', () => {
    db.prepare('UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3').run();
    db.prepare('UPDATE audit_log SET seq = seq - 99 WHERE seq >= 103').run();
    const prev = db.prepare('SELECT hash FROM audit_log WHERE seq = 2').pluck().get() as string;
    db.prepare(
      `INSERT INTO audit_log (seq, event_id, recorded_at, action, user_id, body, prev_hash, hash) VALUES (3, 'forged', 'x', 'record.open', 'x', '{}', ?, ?)`,
    ).run(prev, 'f'.repeat(64));
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 3, reason: 'hash' });
  });

  it('a forged entry appended with a correct hash (the head does not know it)', () => {
    const head = log.head()!.head;
    const index = { eventId: 'forged', recordedAt: 'x', action: 'record.open', userId: 'u', patientId: null, patientNhs: null };
    const hash = chainHashOfCanonical(sha256Hex, head.hash, head.seq + 1, entryCanonicalJson(index, '{}'));
    db.prepare(`INSERT INTO audit_log (seq, event_id, recorded_at, action, user_id, body, prev_hash, hash) VALUES (?, 'forged', 'x', 'record.open', 'u', '{}', ?, ?)`).run(
      head.seq + 1,
      head.hash,
      hash,
    );
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 6, reason: 'beyond-head' });
  });

  it('a forged entry before the first one', () => {
    db.prepare(`INSERT INTO audit_log (seq, event_id, recorded_at, action, user_id, body, prev_hash, hash) VALUES (-5, 'forged', 'x', 'login', 'u', '{}', 'p', 'h')`).run();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: -5, reason: 'out-of-order' });
  });

  it('a truncated tail', () => {
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 4, reason: 'truncated' });
  });

  it('a removed head: reported, and appends then fail closed', () => {
    db.prepare('DELETE FROM audit_head').run();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 0, reason: 'head-missing' });
    const reopened = createAuditLog(db); // a reopen never rebuilds the head from the rows
    expect(reopened.verify()).toMatchObject({ reason: 'head-missing' });
    expect(() => reopened.append(auditFact(6))).toThrow(AppError);
  });
});

describe('fail closed', () => {
  it('throws audit-failed while another connection holds the write lock', async () => {
    const blocker = open();
    const impatient = createAuditLog(open(0)); // busy_timeout 0: no waiting for the lock
    blocker.exec('BEGIN IMMEDIATE');
    try {
      expect(() => impatient.append(auditFact(6))).toThrow(expect.objectContaining({ code: 'audit-failed' }));
      await expect(impatient.appendAsync(auditFact(7))).rejects.toMatchObject({ code: 'audit-failed' });
    } finally {
      blocker.exec('ROLLBACK');
    }
    expect(impatient.append(auditFact(8)).seq).toBe(6);
    expect(log.verify()).toMatchObject({ ok: true, lastSeq: 6 });
  });

  it('never says what the entry was about in the error', () => {
    db.exec("CREATE TEMP TRIGGER boom BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected'); END");
    try {
      log.append(auditFact(6, { patientNhsNumber: '9990000018', purpose: 'Mr Example' }));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'audit-failed' });
      expect(String((error as Error).message)).not.toMatch(/9990000018|Example|pat-/);
    }
  });
});

describe('acknowledgement and purge', () => {
  const later = '2027-01-01T00:00:00.000Z';

  it('purges only an acknowledged prefix, moves the anchor, and the rest still verifies', () => {
    expect(log.pending(10).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    log.markAcked([1, 2, 4]);
    expect(log.purgeAcked(later)).toMatchObject({ purged: 2, anchor: { seq: 2 }, refused: false });
    expect(log.head()?.anchor.seq).toBe(2);
    expect(log.verify()).toMatchObject({ ok: true, count: 3, lastSeq: 5 });
    expect(log.pending(10).map((r) => r.seq)).toEqual([3, 5]);
  });

  it('keeps acknowledged entries recorded after the cut-off', () => {
    log.markAcked([1, 2, 3, 4, 5]);
    expect(log.purgeAcked(auditFact(3).recordedAt)).toMatchObject({ purged: 2 });
    expect(log.stats()).toEqual({ entries: 3, pending: 0, quarantined: 0 });
  });

  it('detects an entry removed after a purge (the anchor pins the start)', () => {
    log.markAcked([1, 2, 3]);
    log.purgeAcked(later);
    dropTriggers(db);
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(log.verify()).toEqual({ ok: false, brokenAtSeq: 4, reason: 'gap' });
  });

  it('refuses to purge a range that does not verify, so the evidence stays', () => {
    log.markAcked([1, 2, 3]);
    dropTriggers(db);
    db.prepare("UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 2").run();
    createAuditLog(db); // triggers back
    expect(log.purgeAcked(later)).toMatchObject({ purged: 0, refused: true });
    expect(log.stats().entries).toBe(5);
  });

  it('lists set-aside entries for review (any action), and flags them in the break-glass query', () => {
    log.append(auditFact(6, { action: 'break-glass' }));
    log.append(auditFact(7, { action: 'break-glass' }));
    log.quarantine(7, 400, later);
    log.quarantine(2, null, later);
    expect(log.setAside(10).map((r) => [r.seq, r.action, r.refusedStatus, r.setAsideAt])).toEqual([
      [7, 'break-glass', 400, later],
      [2, 'record.open', null, later],
    ]);
    expect(log.byActions(['break-glass'], 10).map((r) => [r.seq, r.setAsideAt, r.refusedStatus])).toEqual([
      [7, later, 400],
      [6, null, null],
    ]);
    expect(log.stats().quarantined).toBe(2);
    log.markAcked([7]); // delivered after all: no longer set aside
    expect(log.setAside(10).map((r) => r.seq)).toEqual([2]);
    expect(log.byActions(['break-glass'], 1)[0]).toMatchObject({ seq: 7, setAsideAt: null });
  });

  it('gives the hash held at a seq, and null once purged', () => {
    const third = log.pending(10)[2]!;
    expect(log.hashAt(3)).toBe(third.hash);
    log.markAcked([1, 2, 3]);
    log.purgeAcked(later);
    expect(log.hashAt(3)).toBeNull();
    expect(log.hashAt(99)).toBeNull();
  });

  it('skips quarantined entries when picking what to upload, and lifts the quarantine on ack', () => {
    log.quarantine(2, 422, later);
    expect(log.pending(10).map((r) => r.seq)).toEqual([1, 3, 4, 5]);
    expect(log.quarantined(10).map((r) => r.seq)).toEqual([2]);
    log.markAcked([2]);
    expect(log.stats().quarantined).toBe(0);
  });
});
