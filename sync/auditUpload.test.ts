import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_ENTRY_BASE64_EXTENSION, SANITISED_EXTENSION, renderAuditEvent } from '../core/auditEntry';
import type { AuditFact } from '../core/auditEvent';
import { summarizeAuditEvent } from '../core/auditView';
import { type AuditLog, createAuditLog, sha256Hex } from '../db/auditLog';
import { openConnection } from '../db/storage/connection';
import type { SQLiteDatabase } from '../db/storage/sqlHelpers';
import { createAuditUploader } from './auditUpload';
import { createFhirClient } from './fhirClient';

import { type Sandbox, startSandbox } from '../sandbox/server';

/** Writes need the sandbox's service token (as the app's bearer token). */
const oneShotClient = (baseUrl: string) => createFhirClient({ baseUrl, bearerToken: sandbox.serviceToken, retry: { maxAttempts: 1 } });

// The real sandbox central record over HTTP and real encrypted SQLite files; the crash test
// SIGKILLs a real child process mid-upload.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'c'.repeat(64);
let sandbox: Sandbox;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 4, seed: 1 });
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await sandbox?.close();
});

type Device = { deviceId: string; dir: string; db: SQLiteDatabase; log: AuditLog; reopen(): AuditLog };

function newDevice(entries: number, fact: (i: number) => Partial<AuditFact> = () => ({})): Device {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-upload-'));
  const deviceId = `onscene-test-${randomUUID()}`;
  const device: Device = {
    deviceId,
    dir,
    db: openConnection({ directory: dir, key: KEY }, 'onscene').db,
    log: null as unknown as AuditLog,
    reopen() {
      if (device.db.open) device.db.close();
      device.db = openConnection({ directory: dir, key: KEY }, 'onscene').db;
      device.log = createAuditLog(device.db);
      return device.log;
    },
  };
  device.log = createAuditLog(device.db);
  device.log.appendMany(
    Array.from({ length: entries }, (_, i) => ({
      action: 'record.open' as const,
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      userId: 'demo-paramedic-1',
      practitionerId: 'prac-demo-paramedic-1',
      role: 'paramedic' as const,
      deviceId,
      appVersion: '0.1.0',
      patientId: 'pat-000001',
      patientNhsNumber: '9990000018',
      purpose: 'incident task-000001-active',
      outcome: 'success' as const,
      isOffline: i % 2 === 0,
      lastServerTimeAt: null,
      ...fact(i),
    })),
  );
  cleanups.push(() => {
    if (device.db.open) device.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return device;
}

const allLocal = (device: Device) =>
  device.db.prepare('SELECT event_id AS eventId, acked FROM audit_log ORDER BY seq').all() as { eventId: string; acked: number }[];

async function serverEvents(deviceId: string): Promise<AuditEvent[]> {
  const events = await sandbox.repo.search<AuditEvent>('AuditEvent', { _count: '1000' });
  return events.filter((e) => e.source.observer.identifier?.value === deviceId);
}

const chainExt = (event: AuditEvent, name: string) => event.extension?.find((e) => e.url.endsWith(`/chain-${name}`));

describe('audit upload to the central record', () => {
  it('uploads in order as AuditEvents with client ids, acknowledges, purges, and the chain still verifies', async () => {
    const device = newDevice(120);
    const ids = allLocal(device).map((r) => r.eventId);
    const uploader = createAuditUploader({ client: oneShotClient(sandbox.baseUrl), log: device.log, batchSize: 50, retainAckedMs: 0 });
    const result = await uploader.run();
    expect(result).toMatchObject({ uploaded: 120, quarantined: 0, purged: 120, remaining: 0, failure: null });
    expect(result.clockSample?.offsetMs).toBeLessThan(5_000);
    const events = await serverEvents(device.deviceId);
    expect(events.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(device.log.stats().entries).toBe(0);
    expect(device.log.verify()).toMatchObject({ ok: true, count: 0, lastSeq: 120 });

    // The server copy is a BALP AuditEvent that carries its place in the chain: re-verifiable there.
    const bySeq = events.sort((a, b) => chainExt(a, 'seq')!.valueInteger! - chainExt(b, 'seq')!.valueInteger!);
    let prev = '0'.repeat(64);
    for (const event of bySeq) {
      const seq = chainExt(event, 'seq')!.valueInteger!;
      expect(chainExt(event, 'prev-hash')?.valueString).toBe(prev);
      expect(sha256Hex(`${prev}{"body":${chainExt(event, 'entry')!.valueString!},"seq":${seq}}`)).toBe(chainExt(event, 'hash')?.valueString);
      prev = chainExt(event, 'hash')!.valueString!;
    }
    expect(summarizeAuditEvent(bySeq[0]!)).toMatchObject({ purpose: 'incident task-000001-active', role: 'paramedic', isOffline: true, outcome: 'success' });
  });

  it('keeps acknowledged entries for the retention period', async () => {
    const device = newDevice(5, () => ({ recordedAt: new Date().toISOString() }));
    const result = await createAuditUploader({ client: oneShotClient(sandbox.baseUrl), log: device.log }).run();
    expect(result).toMatchObject({ uploaded: 5, purged: 0, remaining: 0 });
    expect(allLocal(device).every((r) => r.acked === 1)).toBe(true);
  });

  it('does not acknowledge when the answer is lost, and the retry adds no duplicate', async () => {
    const device = newDevice(20);
    sandbox.faults.set({ mode: 'drop', count: 1, pathPrefix: '/fhir' }); // applied, then the connection drops
    const uploader = createAuditUploader({ client: oneShotClient(sandbox.baseUrl), log: device.log, retainAckedMs: 0 });
    expect(await uploader.run()).toMatchObject({ uploaded: 0, remaining: 20, failure: 'offline' });
    expect((await serverEvents(device.deviceId)).length).toBe(20); // the server has them; we do not know it
    expect(await uploader.run()).toMatchObject({ uploaded: 20, remaining: 0, failure: null });
    expect((await serverEvents(device.deviceId)).length).toBe(20);
  });

  it('keeps everything on a server error or with no signal', async () => {
    const device = newDevice(7);
    const uploader = createAuditUploader({ client: oneShotClient(sandbox.baseUrl), log: device.log, retainAckedMs: 0 });
    sandbox.faults.set({ mode: 'status', status: 503, count: 1 });
    expect(await uploader.run()).toMatchObject({ uploaded: 0, remaining: 7, failure: 'server-error' });
    sandbox.faults.setOffline(true);
    try {
      expect(await uploader.run()).toMatchObject({ uploaded: 0, remaining: 7, failure: 'offline' });
    } finally {
      sandbox.faults.setOffline(false);
    }
    expect(device.log.verify()).toMatchObject({ ok: true, count: 7 });
    expect(await uploader.run()).toMatchObject({ uploaded: 7, remaining: 0 });
  });

  it('sets aside an entry the server refuses and delivers the rest; the refused one is never purged', async () => {
    const device = newDevice(12, (i) => (i === 4 ? { recordedAt: 'not-a-date' } : {}));
    const uploader = createAuditUploader({ client: oneShotClient(sandbox.baseUrl), log: device.log, batchSize: 10, retainAckedMs: 0 });
    const result = await uploader.run();
    expect(result).toMatchObject({ uploaded: 11, quarantined: 1, failure: null });
    expect(device.log.quarantined(10).map((r) => r.seq)).toEqual([5]);
    expect(device.log.head()?.anchor.seq).toBe(4); // purge stops before the refused entry
    expect(device.log.verify()).toMatchObject({ ok: true });
    expect((await serverEvents(device.deviceId)).length).toBe(11);
  });
});

describe('an entry the central record refuses in its plain form (issue #10 item 2)', () => {
  const reason = 'Collapsed\u001b[2K\u0007 no incident link';
  const putPlain = (event: AuditEvent) =>
    fetch(`${sandbox.baseUrl}/AuditEvent/${event.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${sandbox.serviceToken}` },
      body: JSON.stringify(event) });

  it('is delivered sanitised, with its exact hashed text, and nothing is left set aside', async () => {
    const device = newDevice(6, (i) => (i === 2 ? { action: 'break-glass', purpose: reason, purposeOfUse: 'BTG' } : i === 3 ? { purpose: reason } : {}));
    const breakGlass = device.log.byActions(['break-glass'], 10)[0]!;
    // The attack's premise, checked: the sandbox's R4 validation refuses the plain form (ESC, BEL).
    const plain = renderAuditEvent(breakGlass, breakGlass.body, breakGlass);
    expect(plain.purposeOfEvent?.[0]?.text).toBe(reason);
    expect((await putPlain(plain)).status).toBe(400);

    const uploader = createAuditUploader({ client: oneShotClient(sandbox.baseUrl), log: device.log, batchSize: 10, retainAckedMs: 0 });
    expect(await uploader.run()).toMatchObject({ uploaded: 6, sanitised: 2, quarantined: 0, remaining: 0, failure: null });
    expect(device.log.stats()).toMatchObject({ quarantined: 0, pending: 0 });
    expect(device.log.setAside(10)).toEqual([]);

    // The central copy: the break-glass is there, marked, its reason readable with visible escapes,
    // and the whole chain (plain and sanitised copies alike) re-verifies from what it carries.
    const events = (await serverEvents(device.deviceId)).sort((a, b) => chainExt(a, 'seq')!.valueInteger! - chainExt(b, 'seq')!.valueInteger!);
    expect(events).toHaveLength(6);
    const central = events[2]!;
    expect(central.id).toBe(breakGlass.eventId);
    expect(central.subtype?.map((c) => c.code)).toContain('break-glass');
    expect(central.extension?.find((e) => e.url === SANITISED_EXTENSION)?.valueBoolean).toBe(true);
    expect(central.purposeOfEvent?.[0]?.text).toBe('Collapsed\\u001b[2K\\u0007 no incident link');
    expect(chainExt(central, 'entry')).toBeUndefined();
    let prev = '0'.repeat(64);
    for (const event of events) {
      const base64 = event.extension?.find((e) => e.url === CHAIN_ENTRY_BASE64_EXTENSION)?.valueBase64Binary;
      const text = base64 === undefined ? chainExt(event, 'entry')!.valueString! : Buffer.from(base64, 'base64').toString('utf8');
      expect(chainExt(event, 'prev-hash')?.valueString).toBe(prev);
      expect(sha256Hex(`${prev}{"body":${text},"seq":${chainExt(event, 'seq')!.valueInteger!}}`)).toBe(chainExt(event, 'hash')?.valueString);
      prev = chainExt(event, 'hash')!.valueString!;
    }
    // The carried text is the stored entry, reason and all.
    const carried = central.extension!.find((e) => e.url === CHAIN_ENTRY_BASE64_EXTENSION)!.valueBase64Binary!;
    expect(JSON.parse(Buffer.from(carried, 'base64').toString('utf8')).details.purpose).toBe(reason);
    expect(device.log.verify()).toMatchObject({ ok: true, lastSeq: 6 });
  });

  it('is tried sanitised again when a set-aside entry is retried, and set aside only when both forms are refused', async () => {
    // Entry 2 cannot be fixed by sanitising (its time is not a date); entry 3 can.
    const device = newDevice(4, (i) => (i === 1 ? { action: 'break-glass', recordedAt: 'not-a-date' } : i === 2 ? { action: 'break-glass', purpose: reason } : {}));
    device.log.quarantine(3, 400, new Date().toISOString()); // set aside by a build without the sanitised form
    const uploader = createAuditUploader({ client: oneShotClient(sandbox.baseUrl), log: device.log, retainAckedMs: 0 });
    expect(await uploader.run()).toMatchObject({ uploaded: 3, sanitised: 1, quarantined: 1, failure: null });
    expect(device.log.setAside(10).map((r) => ({ seq: r.seq, action: r.action, refusedStatus: r.refusedStatus }))).toEqual([
      { seq: 2, action: 'break-glass', refusedStatus: 400 },
    ]);
    // The break-glass review query says which break-glass entries the central audit does not have.
    expect(device.log.byActions(['break-glass'], 10).map((r) => [r.seq, r.setAsideAt !== null])).toEqual([
      [3, false],
      [2, true],
    ]);
  });
});

describe('audit upload across SIGKILL', () => {
  function startChild(device: Device, pause = false): { child: ChildProcess; lines: () => string[]; exited: Promise<number | null> } {
    const out: string[] = [];
    const child = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', 'sync/auditUploadChild.fixture.ts'], {
      cwd: repoRoot,
      env: { ...process.env, AUDIT_DIR: device.dir, AUDIT_KEY: KEY, CENTRAL_URL: sandbox.baseUrl, CENTRAL_TOKEN: sandbox.serviceToken, AUDIT_BATCH: '7', AUDIT_PAUSE: pause ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      out.push(...parts);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, lines: () => out, exited };
  }

  const waitFor = async (predicate: () => boolean, timeoutMs = 30_000) => {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the child');
      await new Promise((r) => setTimeout(r, 2));
    }
  };

  it('loses nothing and duplicates nothing when killed mid-upload, again and again', async () => {
    const total = 300;
    const device = newDevice(total);
    const allIds = new Set(allLocal(device).map((r) => r.eventId));
    device.db.close();
    // Slow answers put most kills inside a request; the others land between or inside local transactions.
    sandbox.faults.set({ mode: 'delay', delayMs: 15, pathPrefix: '/fhir' });
    try {
      // Killed after 1, 4 and 9 Bundles wherever it happens to be; then exactly between the
      // server's success and the local acknowledgement (the case an idempotent retry is for).
      for (const killAt of [1, 4, 9, 'server-has-it'] as const) {
        const run = startChild(device, killAt === 'server-has-it');
        await waitFor(() => (killAt === 'server-has-it' ? run.lines().includes(killAt) : run.lines().length >= killAt));
        run.child.kill('SIGKILL');
        expect(await run.exited).toBeNull();

        const log = device.reopen();
        expect(log.verify()).toMatchObject({ ok: true });
        const local = allLocal(device);
        const server = await serverEvents(device.deviceId);
        const serverIds = new Set(server.map((e) => e.id!));
        expect(server.length).toBe(serverIds.size);
        for (const id of serverIds) expect(allIds.has(id)).toBe(true); // nothing foreign, nothing twice
        const localIds = new Set(local.map((r) => r.eventId));
        for (const id of allIds) expect(localIds.has(id) || serverIds.has(id)).toBe(true); // nothing lost
        for (const row of local.filter((r) => r.acked === 1)) expect(serverIds.has(row.eventId)).toBe(true); // ack only after the server
        if (killAt === 'server-has-it') expect(local.filter((r) => r.acked === 0 && serverIds.has(r.eventId))).toHaveLength(7);
        device.db.close();
      }
    } finally {
      sandbox.faults.reset();
    }
    const finish = startChild(device);
    expect(await finish.exited).toBe(0);
    const log = device.reopen();
    const server = await serverEvents(device.deviceId);
    expect(new Set(server.map((e) => e.id))).toEqual(allIds);
    expect(server.length).toBe(total);
    expect(log.stats()).toEqual({ entries: 0, pending: 0, quarantined: 0 });
    expect(log.verify()).toMatchObject({ ok: true, lastSeq: total });
  });
});
