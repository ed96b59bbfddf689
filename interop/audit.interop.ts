import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditFact } from '../core/auditEvent';
import { summarizeAuditEvent } from '../core/auditView';
import { type AuditLog, createAuditLog, sha256Hex } from '../db/auditLog';
import { openConnection } from '../db/storage/connection';
import type { SQLiteDatabase } from '../db/storage/sqlHelpers';
import { DEMO_PATIENTS } from '../sandbox/demoCast';
import { createAuditUploader } from '../sync/auditUpload';
import { createFhirClient } from '../sync/fhirClient';
import { type CutProxy, startCutProxy } from './cutProxy';
import { type Central, type Fixture, openCentral, writeFixture } from './interopTestKit';

// Audit upload into the central record: AuditEvents with client ids, acknowledged only when the
// server answered, and a hash chain that re-verifies from the copies the server holds.
let central: Central;
let fx: Fixture;
let proxy: CutProxy;
const KEY = 'c'.repeat(64);
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  central = await openCentral();
  fx = await writeFixture(central);
  proxy = await startCutProxy(central.baseUrl);
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await proxy?.close();
  await central?.close();
});

const clientFor = (baseUrl: string) => createFhirClient({ baseUrl, ...(central.bearerToken ? { bearerToken: central.bearerToken } : {}), retry: { maxAttempts: 1 } });

function newDeviceLog(entries: number, fact: (i: number) => Partial<AuditFact> = () => ({})): { log: AuditLog; db: SQLiteDatabase } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-interop-audit-'));
  const db = openConnection({ directory: dir, key: KEY }, 'onscene').db;
  const log = createAuditLog(db);
  const deviceId = `onscene-interop-${randomUUID()}`;
  log.appendMany(
    Array.from({ length: entries }, (_, i) => ({
      action: 'record.open' as const,
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      userId: 'demo-paramedic-1',
      practitionerId: 'prac-demo-paramedic-1',
      role: 'paramedic' as const,
      deviceId,
      appVersion: '0.1.0',
      patientId: fx.id(DEMO_PATIENTS.eolDnacpr),
      patientNhsNumber: '9990000018',
      purpose: `incident ${fx.id('task-000001-active')}`,
      outcome: 'success' as const,
      isOffline: i % 2 === 0,
      lastServerTimeAt: null,
      ...fact(i),
    })),
  );
  cleanups.push(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { log, db };
}

const eventIds = (db: SQLiteDatabase) => (db.prepare('SELECT event_id AS eventId FROM audit_log ORDER BY seq').all() as { eventId: string }[]).map((r) => r.eventId);
const chainExt = (event: AuditEvent, name: string) => event.extension?.find((e) => e.url.endsWith(`/chain-${name}`));

async function onServer(ids: readonly string[]): Promise<AuditEvent[]> {
  const found: AuditEvent[] = [];
  for (const id of ids) {
    const event = await central.rest.read<AuditEvent>('AuditEvent', id);
    if (event) found.push(event);
  }
  return found;
}

describe('audit upload to the central record', () => {
  it('uploads in order as AuditEvents with client ids, and the chain re-verifies from the server copies', async () => {
    const { log, db } = newDeviceLog(60);
    const ids = eventIds(db);
    const result = await createAuditUploader({ client: clientFor(central.baseUrl), log, batchSize: 25, retainAckedMs: 0 }).run();
    expect(result).toMatchObject({ uploaded: 60, quarantined: 0, purged: 60, remaining: 0, failure: null });
    const events = await onServer(ids);
    expect(events.map((e) => e.id).sort()).toEqual([...ids].sort());
    const bySeq = events.sort((a, b) => chainExt(a, 'seq')!.valueInteger! - chainExt(b, 'seq')!.valueInteger!);
    let prev = '0'.repeat(64);
    for (const event of bySeq) {
      const seq = chainExt(event, 'seq')!.valueInteger!;
      expect(chainExt(event, 'prev-hash')?.valueString).toBe(prev);
      expect(sha256Hex(`${prev}{"body":${chainExt(event, 'entry')!.valueString!},"seq":${seq}}`)).toBe(chainExt(event, 'hash')?.valueString);
      prev = chainExt(event, 'hash')!.valueString!;
    }
    expect(summarizeAuditEvent(bySeq[0]!)).toMatchObject({ role: 'paramedic', isOffline: true, outcome: 'success' });
  });

  it('does not acknowledge when the answer is cut off, and the retry adds no duplicate', async () => {
    const { log, db } = newDeviceLog(20);
    const ids = eventIds(db);
    const uploader = createAuditUploader({ client: clientFor(proxy.baseUrl), log, retainAckedMs: 0 });
    proxy.cutNext(1, 30);
    expect(await uploader.run()).toMatchObject({ uploaded: 0, remaining: 20, failure: 'offline' });
    expect((await onServer(ids)).length).toBe(20); // the server has them; the device does not know it
    expect(await uploader.run()).toMatchObject({ uploaded: 20, remaining: 0, failure: null });
    const events = await onServer(ids);
    expect(events.length).toBe(20);
    expect(events.every((e) => e.meta?.versionId === '1' || e.meta?.versionId === '2')).toBe(true);
  });

  it('sets aside an entry the server refuses and delivers the rest', async () => {
    const { log, db } = newDeviceLog(12, (i) => (i === 4 ? { recordedAt: 'not-a-date' } : {}));
    const ids = eventIds(db);
    const result = await createAuditUploader({ client: clientFor(central.baseUrl), log, batchSize: 10, retainAckedMs: 0 }).run();
    expect(result).toMatchObject({ uploaded: 11, quarantined: 1, failure: null });
    expect(log.quarantined(10).map((r) => r.seq)).toEqual([5]);
    expect(log.verify()).toMatchObject({ ok: true });
    expect((await onServer(ids)).length).toBe(11);
  });
});
