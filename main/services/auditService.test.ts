import type { AuditEvent } from '@medplum/fhirtypes';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, ParamsOf, ResultOf } from '../../contract/methods';
import { joinFact } from '../../core/auditEntry';
import { createAuditLog } from '../../db/auditLog';
import { openConnection } from '../../db/storage/connection';
import type { SQLiteDatabase } from '../../db/storage/sqlHelpers';
import { createFhirClient } from '../../sync/fhirClient';
import { openKeyVault } from '../security/keyVault';
import { type TestCore, startCore } from './testCalls';
import { createAuditService } from './auditService';

// Issue #3 end to end: the real sandbox over HTTP, a real encrypted SQLite file, the dispatcher.
let core: TestCore;
let dataDir: string;
const logLines: string[] = [];

type Answer<M extends MethodName> = { ok: true; value: ResultOf<M> } | { ok: false; error: { code: string; message: string } };
const call = <M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string) =>
  core.dispatch({ method, params, ...(sessionToken ? { sessionToken } : {}) }) as Promise<Answer<M>>;
async function value<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string): Promise<ResultOf<M>> {
  const answer = await call(method, params, sessionToken);
  if (!answer.ok) throw new Error(`${method} failed: ${answer.error.code}`);
  return answer.value;
}

/** A second connection to the app's own file, as an attacker or a failing disk would have. */
async function secondConnection(): Promise<SQLiteDatabase> {
  const key = await openKeyVault(dataDir).unlock('demo-paramedic-1', '111111');
  if (!key) throw new Error('no key');
  return openConnection({ directory: dataDir, key }, 'onscene').db;
}

let paramedic: string;
let incident: { incidentId: string; patientId: string; nhsNumber: string; name: string };

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-audit-app-'));
  core = await startCore(dataDir, logLines);
  paramedic = (await value('session.signIn', { userId: 'demo-paramedic-1', pin: '111111' })).sessionToken;
  await value('sync.run', {}, paramedic);
  const first = (await value('incidents.list', {}, paramedic)).incidents[0]!;
  incident = { incidentId: first.incidentId, patientId: first.patient!.patientId, nhsNumber: first.patient!.nhsNumber!, name: first.patient!.name };
});
afterAll(async () => {
  await core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('fail closed', () => {
  /** Every method that returns patient data (or names patients), with a call that would succeed. */
  const cases: { method: MethodName; who: 'paramedic' | 'clinician'; params: () => Record<string, unknown> }[] = [
    { method: 'record.open', who: 'paramedic', params: () => ({ patientId: incident.patientId, incidentId: incident.incidentId }) },
    { method: 'record.openWithPurpose', who: 'paramedic', params: () => ({ patientId: incident.patientId, purpose: { kind: 'incident', incidentId: incident.incidentId } }) },
    { method: 'patients.lookup', who: 'paramedic', params: () => ({ nhsNumber: incident.nhsNumber, purpose: { kind: 'incident', incidentId: incident.incidentId } }) },
    { method: 'incidents.list', who: 'paramedic', params: () => ({}) },
    { method: 'audit.patientReport', who: 'clinician', params: () => ({ patientId: incident.patientId }) },
  ];

  it.each(cases)('$method returns no patient data when the audit entry cannot be written', async ({ method, who, params }) => {
    const token = who === 'paramedic' ? paramedic : (await value('session.signIn', { userId: 'demo-clinician-1', pin: '444444' })).sessionToken;
    const ask = () => core.dispatch({ method, params: params(), sessionToken: token }) as Promise<Answer<typeof method>>;
    const attacker = await secondConnection();
    attacker.exec("CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    let answer: Answer<typeof method>;
    try {
      answer = await ask();
    } finally {
      attacker.exec('DROP TRIGGER inject_failure');
      attacker.close();
    }
    expect(answer).toEqual({ ok: false, error: { code: 'audit-failed', message: expect.any(String) } });
    const text = JSON.stringify(answer);
    for (const phi of [incident.nhsNumber, incident.name, incident.patientId, 'resuscitation', 'allerg']) expect(text).not.toContain(phi);
    expect(logLines.join('\n')).not.toContain(incident.nhsNumber);
    // And once the audit works again, so does the method — with its entry written first.
    expect(await ask()).toMatchObject({ ok: true });
    expect(core.store().audit.verify()).toMatchObject({ ok: true });
  });
});

describe('entries and delivery', () => {
  it('writes BALP entries with the NHS number, purpose, offline flag and a measured clock', async () => {
    await value('record.open', { patientId: incident.patientId, incidentId: incident.incidentId }, paramedic);
    const row = core.store().audit.recentForUser('demo-paramedic-1', 1)[0]!;
    expect(row).toMatchObject({ action: 'record.open', patientId: incident.patientId, patientNhs: incident.nhsNumber });
    const fact = joinFact(row, row.body);
    expect(fact).toMatchObject({ role: 'paramedic', purpose: `incident ${incident.incidentId}`, outcome: 'success', isOffline: false, deviceId: core.app.deviceId });
    expect(fact.lastServerTimeAt).not.toBeNull();
    expect(Math.abs(fact.clockOffsetMs ?? Number.NaN)).toBeLessThan(5_000); // measured at the last audit upload
  });

  it('delivers the trail on sync.run (after the incident scope, before the rest), and keeps it verifiable', async () => {
    await value('sync.run', {}, paramedic);
    const audit = core.store().audit;
    const local = audit.recentForUser('demo-paramedic-1', 500);
    const events = (await core.sandbox!.repo.search<AuditEvent>('AuditEvent', { _count: '1000' })).filter(
      (e) => e.source.observer.identifier?.value === core.app.deviceId,
    );
    const onServer = new Set(events.map((e) => e.id));
    // Everything written before this sync is delivered (the sync's own batch entry comes after it).
    for (const row of local.filter((r) => r.action !== 'sync.batch' || r.acked === 1)) expect(onServer.has(row.eventId)).toBe(true);
    expect(audit.verify()).toMatchObject({ ok: true });
  });
});

describe('review reports', () => {
  let clinician: string;
  beforeAll(async () => {
    const outsider = (await value('incidents.list', {}, paramedic)).incidents.find((i) => i.patient?.patientId !== incident.patientId)!;
    await value('access.breakGlass', { patientId: outsider.patient!.patientId, reason: 'emergency-care', reasonText: 'Collapsed in the street, no incident link yet' }, paramedic);
    clinician = (await value('session.signIn', { userId: 'demo-clinician-1', pin: '444444' })).sessionToken;
  });

  it('refuses crews: they see only their own accesses', async () => {
    expect(await call('audit.breakGlassReview', {}, paramedic)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('audit.patientReport', { patientId: incident.patientId }, paramedic)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const mine = await value('audit.mine', { limit: 500 }, paramedic);
    expect(mine.entries.every((e) => e.userId === 'demo-paramedic-1')).toBe(true);
  });

  it('lists break-glass for review, with reason and role', async () => {
    const review = await value('audit.breakGlassReview', {}, clinician);
    expect(review.entries.length).toBeGreaterThanOrEqual(1);
    expect(review.entries[0]).toMatchObject({ action: 'break-glass', userId: 'demo-paramedic-1', role: 'paramedic', purposeOfUse: 'BTG', outcome: 'success' });
    expect(review.purgedThroughSeq).toBe(0);
  });

  it('says who saw a patient, when and why — and audits the report itself', async () => {
    const report = await value('audit.patientReport', { patientId: incident.patientId }, clinician);
    const opens = report.entries.filter((e) => e.action === 'record.open');
    expect(opens.length).toBeGreaterThanOrEqual(2);
    expect(opens.every((e) => e.userId === 'demo-paramedic-1' && e.purpose === `incident ${incident.incidentId}` && e.role === 'paramedic')).toBe(true);
    expect(opens.some((e) => e.isAcknowledged)).toBe(true);
    const after = await value('audit.patientReport', { patientId: incident.patientId }, clinician);
    expect(after.entries[0]).toMatchObject({ action: 'audit.report', userId: 'demo-clinician-1', purposeOfUse: 'HCOMPL', patientId: incident.patientId });
  });
});

describe('while the device is locked', () => {
  it('keeps a failed sign-in in memory and writes it, first, at the next unlock', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-audit-locked-'));
    const db = openConnection({ directory: dir, key: 'd'.repeat(64) }, 'onscene').db;
    try {
      let open: ReturnType<typeof createAuditLog> | null = null;
      const service = createAuditService({
        deviceId: 'onscene-test',
        appVersion: '0.1.0',
        organizationId: 'org-ambulance',
        now: () => new Date(),
        log: () => open,
        isOnline: () => false,
        lastSyncServerTime: () => null,
        client: createFhirClient({ baseUrl: 'http://127.0.0.1:9/fhir', retry: { maxAttempts: 1 } }),
      });
      const user = { userId: 'demo-paramedic-1', displayName: 'x', role: 'paramedic' as const, vehicle: 'K101' };
      await service.appendOrDefer({ user, practitionerId: null, action: 'login.failed', patientId: null, purpose: null, outcome: 'failure' });
      await expect(service.append({ user, practitionerId: null, action: 'login', patientId: null, purpose: null, outcome: 'success' })).rejects.toMatchObject({ code: 'audit-failed' });
      open = createAuditLog(db);
      await service.append({ user, practitionerId: null, action: 'login', patientId: null, purpose: null, outcome: 'success' });
      expect(open.recentForUser('demo-paramedic-1', 5).map((r) => r.action)).toEqual(['login', 'login.failed']);
      expect(joinFact(open.recentForUser('demo-paramedic-1', 1)[0]!, open.recentForUser('demo-paramedic-1', 1)[0]!.body)).toMatchObject({
        organizationId: 'org-ambulance',
        isOffline: true,
      });
      expect(await service.upload()).toMatchObject({ uploaded: 0, failure: 'offline', remaining: 2 });
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps deferred entries when the write that carries them fails, and writes them on the next one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-audit-requeue-'));
    const db = openConnection({ directory: dir, key: 'e'.repeat(64) }, 'onscene').db;
    try {
      let open: ReturnType<typeof createAuditLog> | null = null;
      const service = createAuditService({
        deviceId: 'onscene-test',
        appVersion: '0.1.0',
        organizationId: null,
        now: () => new Date(),
        log: () => open,
        isOnline: () => false,
        lastSyncServerTime: () => null,
        client: createFhirClient({ baseUrl: 'http://127.0.0.1:9/fhir', retry: { maxAttempts: 1 } }),
      });
      const user = { userId: 'demo-paramedic-1', displayName: 'x', role: 'paramedic' as const, vehicle: 'K101' };
      const login = { user, practitionerId: null, action: 'login' as const, patientId: null, purpose: null, outcome: 'success' as const };
      await service.appendOrDefer({ ...login, action: 'login.failed', outcome: 'failure' });
      open = createAuditLog(db);
      // A real failing write: the disk (here a trigger) refuses every insert.
      db.exec("CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
      await expect(service.append(login)).rejects.toMatchObject({ code: 'audit-failed' });
      expect(open.recentForUser('demo-paramedic-1', 5)).toEqual([]);
      db.exec('DROP TRIGGER inject_failure');
      await service.append(login);
      expect(open.recentForUser('demo-paramedic-1', 5).map((r) => r.action)).toEqual(['login', 'login.failed']);
      expect(open.verify()).toMatchObject({ ok: true });
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
