import fs from 'node:fs';
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_ID_SYSTEM, DEVICE_INSTRUCTION_SYSTEM, WIPE_CODE } from '../main/security/remoteWipe';
import type { TestCore } from '../main/services/testCalls';
import { caller, startCore, tempDataDir } from '../main/services/testCalls';
import { DEMO_USERS } from '../sandbox/demoCast';
import { type Central, type Fixture, openCentral, writeFixture } from './interopTestKit';

// Remote wipe from the central record (issue #4): a Device resource naming this laptop with the
// wipe instruction, written over REST, is found by the next sync; audit goes up first, then the shred.
let central: Central;
let fx: Fixture;
const cores: TestCore[] = [];
let current: TestCore;
const { call, value, signIn } = caller(() => current);
const medic = DEMO_USERS[0]!;

beforeAll(async () => {
  central = await openCentral();
  fx = await writeFixture(central);
});
afterAll(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
  await central?.close();
});

async function waitFor(check: () => Promise<boolean>, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out');
}

describe('remote wipe', () => {
  it('an instruction on the Device resource, found during sync, uploads audit, shreds the key and data, and the next start says so', async () => {
    const dataDir = tempDataDir('interop-wipe');
    const open = async () => {
      current = await startCore(dataDir, [], central.baseUrl, { config: { vehicle: fx.vehicle(), centralToken: central.bearerToken ?? null } });
      cores.push(current);
      return current;
    };
    const core = await open();
    const token = await signIn(medic.userId, medic.pin);
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const deviceId = core.app.deviceId;
    await central.rest.put({
      resourceType: 'Device',
      id: fx.id('laptop'),
      status: 'inactive',
      statusReason: [{ coding: [{ system: DEVICE_INSTRUCTION_SYSTEM, code: WIPE_CODE }] }],
      identifier: [{ system: DEVICE_ID_SYSTEM, value: deviceId }],
    });
    await call('sync.run', {}, token);
    await waitFor(async () => (await value('device.status', {})).state === 'wiped');

    const left = fs.readdirSync(dataDir);
    expect(left.filter((f) => f.startsWith('onscene.sqlite') || f === 'keys.json' || f === 'signin.json' || f === 'users.json')).toEqual([]);
    expect(await call('incidents.list', {}, token)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // The wipe itself was audited and uploaded before the shred: the server holds it.
    const uploaded = await central.rest.search<AuditEvent>(`AuditEvent?_count=200&_sort=-_lastUpdated&_lastUpdated=ge${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`);
    const mine = uploaded.filter((e) => e.source.observer.identifier?.value === deviceId);
    expect(mine.map((e) => e.purposeOfEvent?.[0]?.text)).toContain('remote wipe instruction from the central record');

    await core.close();
    await open();
    const status = await value('device.status', {});
    expect(status).toMatchObject({ state: 'wiped' });
    expect(status.message).toMatch(/was wiped on the central record's instruction/);
  });
});
