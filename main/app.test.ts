import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, ParamsOf, ResultOf } from '../contract/methods';
import { type TestCore, startCore } from './services/testCalls';

// The walking skeleton end to end in one process: the real sandbox over HTTP, a real encrypted
// SQLite file, the real dispatcher. Only the browser is left out (renderer/e2e covers it).
let core: TestCore;
let dataDir: string;

async function call<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string) {
  return core.dispatch({ method, params, ...(sessionToken ? { sessionToken } : {}) }) as Promise<
    { ok: true; value: ResultOf<M> } | { ok: false; error: { code: string; message: string } }
  >;
}
async function value<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string): Promise<ResultOf<M>> {
  const result = await call(method, params, sessionToken);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}`);
  return result.value;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-app-'));
  core = await startCore(dataDir, [], null, { sandboxOptions: { patients: 30, seed: 1 } });
});
afterAll(async () => {
  await core?.close();
});

describe('contract seams', () => {
  it('answers an unknown method with a typed error', async () => {
    expect(await core.dispatch({ method: 'patients.delete', params: {} })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });
  it('answers a malformed envelope or invalid params with bad-request, naming the field only', async () => {
    expect(await core.dispatch('not an envelope')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const result = await core.dispatch({ method: 'session.signIn', params: { userId: 'demo-paramedic-1', pin: 12 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(JSON.stringify(result)).toContain('pin');
  });
  it('refuses patient data without a session', async () => {
    expect(await call('incidents.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call('record.open', { patientId: 'pat-000001', incidentId: 'x' }, 'forged-token')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
  it('refuses a wrong PIN', async () => {
    expect(await call('session.signIn', { userId: 'demo-paramedic-1', pin: '9999' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
  });
});

describe('first sync and an audited record.open', () => {
  let token: string;
  beforeAll(async () => {
    token = (await value('session.signIn', { userId: 'demo-paramedic-1', pin: '111111' })).sessionToken;
    const status = await value('sync.run', {}, token);
    expect(status.lastFailure).toBeNull();
  });

  it('lists the incidents assigned to K101 with their patients', async () => {
    const list = await value('incidents.list', {}, token);
    expect(list.isOffline).toBe(false);
    expect(list.incidents.length).toBeGreaterThanOrEqual(3);
    for (const incident of list.incidents) expect(incident.patient?.nhsNumber).toMatch(/^999\d{7}$/);
  });

  it('opens each incident patient, resuscitation decision first, and audits each open before returning', async () => {
    const list = await value('incidents.list', {}, token);
    const statuses = new Set<string>();
    for (const incident of list.incidents) {
      const view = await value('record.open', { patientId: incident.patient!.patientId, incidentId: incident.incidentId }, token);
      statuses.add(view.resuscitation.status);
      expect(view.patient.patientId).toBe(incident.patient!.patientId);
      if (view.resuscitation.status === 'dnacpr') {
        expect(view.alerts.some((a) => a.isSafetyWarning)).toBe(true);
        expect(view.allergies.length).toBeGreaterThan(0);
        expect(view.carePlans.some((p) => p.kind === 'end-of-life')).toBe(true);
        expect(view.resuscitation.confirmedAt).not.toBeNull();
      }
    }
    expect(statuses).toContain('dnacpr');
    expect(statuses).toContain('respect-for-cpr');
    expect(statuses).toContain('none-recorded');
    const audit = await value('audit.mine', { limit: 50 }, token);
    const opens = audit.entries.filter((e) => e.action === 'record.open' && e.outcome === 'success');
    expect(opens.map((e) => e.patientId).sort()).toEqual(list.incidents.map((i) => i.patient!.patientId).sort());
    expect(core.store().audit.verify()).toMatchObject({ ok: true });
  });

  it('refuses a patient who is not linked to the incident, and audits the refusal', async () => {
    const list = await value('incidents.list', {}, token);
    const incident = list.incidents[0]!;
    const other = list.incidents[1]!;
    const result = await call('record.open', { patientId: other.patient!.patientId, incidentId: incident.incidentId }, token);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const audit = await value('audit.mine', { limit: 5 }, token);
    expect(audit.entries[0]).toMatchObject({ action: 'record.open', outcome: 'failure', patientId: other.patient!.patientId });
  });

  it('keeps working offline: says offline and shows the cached record with its age', async () => {
    const sandbox = core.sandbox!;
    await sandbox.faults.setOffline(true);
    try {
      const status = await value('sync.run', {}, token);
      expect(status.state).toBe('offline');
      expect(status.lastFailure?.reason).toBe('offline');
      expect(status.lastSuccessAt).not.toBeNull();
      const list = await value('incidents.list', {}, token);
      expect(list.isOffline).toBe(true);
      const incident = list.incidents[0]!;
      const view = await value('record.open', { patientId: incident.patient!.patientId, incidentId: incident.incidentId }, token);
      expect(view.isOffline).toBe(true);
      expect(view.syncedAt).not.toBeNull();
      const audit = await value('audit.mine', { limit: 1 }, token);
      expect(audit.entries[0]).toMatchObject({ action: 'record.open', isOffline: true });
    } finally {
      await sandbox.faults.setOffline(false);
    }
  });

  it('leaves no plaintext NHS number or name in the database file', async () => {
    const list = await value('incidents.list', {}, token);
    const incident = list.incidents[0]!;
    const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('onscene.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(dataDir, file));
      expect(bytes.includes(Buffer.from(incident.patient!.nhsNumber!))).toBe(false);
      expect(bytes.includes(Buffer.from('DNACPR'))).toBe(false);
    }
  });
});
