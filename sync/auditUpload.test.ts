import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditFact } from '../core/auditEvent';
import { summarizeAuditEvent } from '../core/auditView';
import { type AuditLog, createAuditLog, sha256Hex } from '../db/auditLog';
import { openConnection } from '../db/storage/connection';
import type { SQLiteDatabase } from '../db/storage/sqlHelpers';
import { createAuditUploader } from './auditUpload';
import { createFhirClient } from './fhirClient';

const oneShotClient = (baseUrl: string) => createFhirClient({ baseUrl, retry: { maxAttempts: 1 } });
import { type Sandbox, startSandbox } from '../sandbox/server';

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

describe('audit upload across SIGKILL', () => {
  function startChild(device: Device, pause = false): { child: ChildProcess; lines: () => string[]; exited: Promise<number | null> } {
    const out: string[] = [];
    const child = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', 'sync/auditUploadChild.fixture.ts'], {
      cwd: repoRoot,
      env: { ...process.env, AUDIT_DIR: device.dir, AUDIT_KEY: KEY, CENTRAL_URL: sandbox.baseUrl, AUDIT_BATCH: '7', AUDIT_PAUSE: pause ? '1' : '0' },
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
