import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHashOfCanonical, entryCanonicalJson, verifyAgainstAnchors } from '../core/auditChain';
import type { AuditFact } from '../core/auditEvent';
import { type AuditLog, createAuditLog, sha256Hex } from '../db/auditLog';
import { openConnection } from '../db/storage/connection';
import type { SQLiteDatabase } from '../db/storage/sqlHelpers';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { anchorResourceId, fetchAnchorHistory } from './auditAnchor';
import { createAuditUploader } from './auditUpload';
import { type FhirClient, FhirClientError, createFhirClient } from './fhirClient';

// Issue #10 item 5, against the real sandbox over HTTP and real encrypted files. The attacker has
// the data key (any enrolled PIN unwraps it): drops the triggers, rewrites rows with plain SQL and
// recomputes the chain and head, so the device's own verify says OK.
const KEY = 'd'.repeat(64);
let sandbox: Sandbox;
let central: FhirClient;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 4, seed: 1 });
  central = createFhirClient({ baseUrl: sandbox.baseUrl, bearerToken: sandbox.serviceToken, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await sandbox?.close();
});

const fact = (deviceId: string, i: number, overrides: Partial<AuditFact> = {}): AuditFact => ({
  action: 'record.open',
  recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  userId: 'demo-paramedic-1',
  practitionerId: 'prac-demo-paramedic-1',
  role: 'paramedic',
  deviceId,
  appVersion: '0.1.0',
  patientId: 'pat-000001',
  patientNhsNumber: '9990000018',
  purpose: 'incident task-000001-active',
  outcome: 'success',
  isOffline: false,
  lastServerTimeAt: null,
  ...overrides,
});

type Device = { deviceId: string; db: SQLiteDatabase; log: AuditLog; append(n: number): void };

function newDevice(entries: number, deviceId = `onscene-test-${randomUUID()}`): Device {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-anchor-'));
  const db = openConnection({ directory: dir, key: KEY }, 'onscene').db;
  const log = createAuditLog(db);
  const device: Device = {
    deviceId,
    db,
    log,
    append: (n) => {
      const from = (log.head()?.head.seq ?? 0) + 1;
      log.appendMany(Array.from({ length: n }, (_, i) => fact(deviceId, from + i)));
    },
  };
  device.append(entries);
  cleanups.push(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return device;
}

/** A weak link: small requests get through, a Bundle of entries does not. */
const weakLink = (client: FhirClient, maxBytes: number): FhirClient => ({
  ...client,
  transaction: (bundle) => (JSON.stringify(bundle).length > maxBytes ? Promise.reject(new FhirClientError('offline', null)) : client.transaction(bundle)),
});

function dropTriggers(db: SQLiteDatabase): void {
  for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER "${name}"`);
}

type Row = { seq: number; eventId: string; recordedAt: string; action: string; userId: string; patientId: string | null; patientNhs: string | null; body: string; prevHash: string };

/** What an attacker with the key does: edit entry `seq`, recompute every later link and the head. */
function rewriteAsAttacker(db: SQLiteDatabase, seq: number, edit: (body: string) => string): void {
  dropTriggers(db);
  const rows = db
    .prepare(`SELECT seq, event_id AS eventId, recorded_at AS recordedAt, action, user_id AS userId, patient_id AS patientId,
      patient_nhs AS patientNhs, body, prev_hash AS prevHash FROM audit_log WHERE seq >= ? ORDER BY seq`)
    .all(seq) as Row[];
  let prev = rows[0]!.prevHash;
  const update = db.prepare('UPDATE audit_log SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  db.transaction(() => {
    for (const row of rows) {
      const body = row.seq === seq ? edit(row.body) : row.body;
      const hash = chainHashOfCanonical(sha256Hex, prev, row.seq, entryCanonicalJson(row, body));
      update.run(body, prev, hash, row.seq);
      prev = hash;
    }
    db.prepare('UPDATE audit_head SET head_hash = ? WHERE id = 1').run(prev);
  })();
}

/** Cuts the tail from `seq` on and points the head at the entry before, as an attacker would. */
function truncateAsAttacker(db: SQLiteDatabase, seq: number): void {
  dropTriggers(db);
  db.transaction(() => {
    db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(seq);
    db.prepare('UPDATE audit_head SET head_seq = ?, head_hash = (SELECT hash FROM audit_log WHERE seq = ?) WHERE id = 1').run(seq - 1, seq - 1);
  })();
}

const againstCentral = async (device: Device) => verifyAgainstAnchors(device.log, await fetchAnchorHistory(central, device.deviceId));
const hideReason = (body: string) => body.replace('incident task-000001-active', 'incident task-000002-active');

describe('the chain-head anchor on the central record', () => {
  it('gets through where the entries cannot, moves only forward, and keeps every anchor in the history', async () => {
    const device = newDevice(10);
    const uploader = createAuditUploader({ client: weakLink(central, 3_000), log: device.log, deviceId: device.deviceId, retainAckedMs: 0 });
    expect(await uploader.run()).toMatchObject({ anchor: { kind: 'sent', seq: 10 }, uploaded: 0, remaining: 10, failure: 'offline' });
    const stored = await sandbox.repo.readResource('Basic', anchorResourceId(device.deviceId));
    expect(stored).toMatchObject({ code: { coding: [{ code: 'onscene-audit-anchor' }] }, identifier: [{ value: device.deviceId }] });

    const before = central.stats().requests;
    expect(await uploader.anchor()).toEqual({ kind: 'current', seq: 10 }); // unchanged head: nothing sent
    expect(central.stats().requests).toBe(before);
    device.append(2);
    expect(await uploader.anchor()).toMatchObject({ kind: 'sent', seq: 12 });

    // Another uploader life moves it on; the first one's If-Match is now stale: 412, re-read, then forward.
    device.append(1);
    expect(await createAuditUploader({ client: central, log: device.log, deviceId: device.deviceId }).anchor()).toMatchObject({ kind: 'sent', seq: 13 });
    device.append(2);
    const beforeStale = central.stats().requests;
    expect(await uploader.anchor()).toMatchObject({ kind: 'sent', seq: 15 });
    expect(central.stats().requests - beforeStale).toBe(3); // PUT (412), GET, PUT

    expect((await fetchAnchorHistory(central, device.deviceId)).map((a) => a.seq)).toEqual([15, 13, 12, 10]);
    expect(await againstCentral(device)).toMatchObject({ ok: true, checked: 4, lastAnchoredSeq: 15, unanchored: null, otherTrails: [] });
  });

  it('detects an unsent entry rewritten and the chain recomputed, which the local verify cannot', async () => {
    const device = newDevice(10);
    await createAuditUploader({ client: weakLink(central, 3_000), log: device.log, deviceId: device.deviceId }).anchor();
    device.append(3); // 11–13: appended after the anchor
    rewriteAsAttacker(device.db, 4, hideReason);
    expect(device.log.verify()).toMatchObject({ ok: true, lastSeq: 13 });
    expect(await againstCentral(device)).toEqual({ ok: false, reason: 'rewritten', atSeq: 10, anchorSeq: 10, lastGoodSeq: 0 });
    // The device never moves the central anchor off the trail it proves.
    const next = createAuditUploader({ client: central, log: createAuditLog(device.db), deviceId: device.deviceId });
    expect(await next.anchor()).toEqual({ kind: 'diverged', centralSeq: 10, localSeq: 13 });
    expect(await fetchAnchorHistory(central, device.deviceId)).toHaveLength(1);
  });

  it('detects a truncated trail (entries cut off and the head moved back)', async () => {
    const device = newDevice(10);
    const uploader = createAuditUploader({ client: central, log: device.log, deviceId: device.deviceId, batchSize: 4, maxBatches: 1, retainAckedMs: 0 });
    await uploader.anchor();
    device.append(2);
    expect(await uploader.run()).toMatchObject({ anchor: { kind: 'sent', seq: 12 }, uploaded: 4, purged: 4 }); // 1–4 delivered and purged
    truncateAsAttacker(device.db, 9);
    expect(device.log.verify()).toMatchObject({ ok: true, lastSeq: 8 });
    expect(await againstCentral(device)).toEqual({ ok: false, reason: 'truncated', atSeq: 9, anchorSeq: 10, lastGoodSeq: 0 });
  });

  it('cannot see a rewrite of entries appended since the last anchor: that is the window', async () => {
    const device = newDevice(10);
    const uploader = createAuditUploader({ client: weakLink(central, 3_000), log: device.log, deviceId: device.deviceId });
    await uploader.anchor();
    device.append(5); // 11–15, no sync with any signal since
    rewriteAsAttacker(device.db, 13, hideReason);
    expect(device.log.verify()).toMatchObject({ ok: true, lastSeq: 15 });
    expect(await againstCentral(device)).toMatchObject({ ok: true, checked: 1, lastAnchoredSeq: 10, unanchored: { fromSeq: 11, toSeq: 15 } });
    // The next anchor then pins the rewritten version: the window closes at the next sync that gets through.
    expect(await uploader.anchor()).toMatchObject({ kind: 'sent', seq: 15 });
    expect(await againstCentral(device)).toMatchObject({ ok: true, lastAnchoredSeq: 15, unanchored: null });
  });

  it('checks anchors at entries delivered and purged since, and a new trail of the same device (after a wipe) is told apart', async () => {
    const device = newDevice(6);
    const uploader = createAuditUploader({ client: central, log: device.log, deviceId: device.deviceId, retainAckedMs: 0 });
    expect(await uploader.run()).toMatchObject({ anchor: { kind: 'sent', seq: 6 }, uploaded: 6, purged: 6 });
    device.append(2);
    expect(await uploader.run()).toMatchObject({ anchor: { kind: 'sent', seq: 8 }, purged: 2 });
    expect(await againstCentral(device)).toMatchObject({ ok: true, checked: 1, purged: 1, lastAnchoredSeq: 8 });

    // Wiped and enrolled again: same device id, a new trail from entry 1.
    const again = newDevice(3, device.deviceId);
    expect(await createAuditUploader({ client: central, log: again.log, deviceId: again.deviceId }).anchor()).toEqual({ kind: 'sent', seq: 3, isNewTrail: true });
    expect(await againstCentral(again)).toMatchObject({ ok: true, checked: 1, lastAnchoredSeq: 3, otherTrails: [{ anchors: 2, lastSeq: 8 }] });
  });
});
