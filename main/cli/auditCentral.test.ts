import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHashOfCanonical, entryCanonicalJson } from '../../core/auditChain';
import type { AuditFact } from '../../core/auditEvent';
import { createAuditLog, sha256Hex } from '../../db/auditLog';
import { openConnection } from '../../db/storage/connection';
import type { SQLiteDatabase } from '../../db/storage/sqlHelpers';
import { type Sandbox, startSandbox } from '../../sandbox/server';
import { createAuditUploader } from '../../sync/auditUpload';
import { createFhirClient } from '../../sync/fhirClient';
import { enrolUsersDirectly } from '../dev/enrolUsers';
import { openKeyVault } from '../security/keyVault';
import { runCli } from './run';

// `audit verify --central` against the real sandbox central record and a real encrypted store.
const PIN = '4321';
const DEVICE = 'onscene-cli-central-test';
let sandbox: Sandbox;
let dir: string;
let key: string;

const fact = (seq: number): AuditFact => ({
  action: seq === 3 ? 'break-glass' : 'record.open',
  recordedAt: `2026-03-${String(seq).padStart(2, '0')}T10:00:00.000Z`,
  userId: 'demo-paramedic-1',
  practitionerId: 'prac-demo-paramedic-1',
  role: 'paramedic',
  deviceId: DEVICE,
  appVersion: '0.1.0',
  patientId: 'pat-000001',
  patientNhsNumber: '9990000018',
  purpose: 'incident task-000001-active',
  outcome: 'success',
  isOffline: true,
  lastServerTimeAt: null,
});

async function verifyCentral(url = sandbox.baseUrl) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (chunks.out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (chunks.err += c.toString('utf8')));
  const stdin = new PassThrough();
  stdin.end();
  const argv = ['audit', 'verify', '--central', url, '--data', dir, '--user', 'ig-officer-1'];
  const code = await runCli({ argv, env: { ONSCENE_PIN: PIN, ONSCENE_CENTRAL_TOKEN: sandbox.serviceToken }, stdin, stdout, stderr });
  return { code, ...chunks };
}

/** As someone holding the key: triggers dropped, then plain SQL. */
function asAttacker(edit: (db: SQLiteDatabase) => void): void {
  const db = openConnection({ directory: dir, key }, 'onscene').db;
  try {
    for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER "${name}"`);
    db.transaction(() => edit(db))();
  } finally {
    db.close();
  }
}

type Row = { seq: number; eventId: string; recordedAt: string; action: string; userId: string; patientId: string | null; patientNhs: string | null; body: string; prevHash: string };

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 4, seed: 1 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-cli-central-'));
  await enrolUsersDirectly(dir, [{ userId: 'ig-officer-1', pin: PIN, displayName: 'IG Officer', role: 'administrator', vehicle: null, practitionerId: null }]);
  key = (await openKeyVault(dir).unlock('ig-officer-1', PIN))!;
  fs.writeFileSync(path.join(dir, 'device-id'), DEVICE);
  const db = openConnection({ directory: dir, key }, 'onscene').db;
  const log = createAuditLog(db);
  log.appendMany([1, 2, 3, 4, 5].map(fact));
  // A sync with a weak signal: the anchor goes; the entries stay on the device, unsent.
  const client = createFhirClient({ baseUrl: sandbox.baseUrl, bearerToken: sandbox.serviceToken, retry: { maxAttempts: 1 } });
  expect(await createAuditUploader({ client, log, deviceId: DEVICE }).anchor()).toMatchObject({ kind: 'sent', seq: 5 });
  log.appendMany([fact(6)]);
  db.close();
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await sandbox?.close();
});

describe('audit verify --central (issue #10 item 5)', () => {
  it('says OK, and names the entries written since the last anchor (the window)', async () => {
    const ok = await verifyCentral();
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^Audit trail OK: 6 entries/);
    expect(ok.out).toContain("Central anchors OK: 1 of 1 anchors match this device's chain, the latest at entry 5.");
    expect(ok.out).toContain('Entries 6–6 were written after the last anchor');
  });

  it('says REWRITTEN (exit 2) after an unsent entry is rewritten and the chain recomputed, which the local check misses', async () => {
    asAttacker((db) => {
      const rows = db
        .prepare(`SELECT seq, event_id AS eventId, recorded_at AS recordedAt, action, user_id AS userId, patient_id AS patientId,
          patient_nhs AS patientNhs, body, prev_hash AS prevHash FROM audit_log WHERE seq >= 3 ORDER BY seq`)
        .all() as Row[];
      let prev = rows[0]!.prevHash;
      for (const row of rows) {
        const body = row.seq === 3 ? row.body.replace('task-000001', 'task-000009') : row.body;
        const hash = chainHashOfCanonical(sha256Hex, prev, row.seq, entryCanonicalJson(row, body));
        db.prepare('UPDATE audit_log SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(body, prev, hash, row.seq);
        prev = hash;
      }
      db.prepare('UPDATE audit_head SET head_hash = ? WHERE id = 1').run(prev);
    });
    const result = await verifyCentral();
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/^Audit trail OK/); // the local check is fooled
    expect(result.out).toContain('Audit trail REWRITTEN (checked against the central record): entry 5 no longer has the hash this device sent');
  });

  it('says TRUNCATED (exit 2) when the tail before the last anchor is cut off and the head moved back', async () => {
    asAttacker((db) => {
      db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
      db.prepare('UPDATE audit_head SET head_seq = 3, head_hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1').run();
    });
    const result = await verifyCentral();
    expect(result.code).toBe(2);
    expect(result.out).toContain('Audit trail TRUNCATED (checked against the central record): the central record was sent entry 5, but from entry 4 on');
  });

  it('exits 1 with a plain message when the central record cannot be reached, after the local check', async () => {
    const result = await verifyCentral('http://127.0.0.1:9/fhir');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^Audit trail OK/);
    expect(result.err).toMatch(/the central check could not be made: The central record cannot be reached/);
  });

  it('refuses a --central that is not an http(s) URL before asking for a PIN', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const stdin = new PassThrough();
    stdin.end();
    const code = await runCli({ argv: ['audit', 'verify', '--central', 'file:///etc/passwd', '--data', dir, '--user', 'ig-officer-1'], env: {}, stdin, stdout, stderr });
    expect(code).toBe(1);
    expect(err).toContain('--central must be');
  });
});
