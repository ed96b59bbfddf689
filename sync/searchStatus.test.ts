import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { type TestClient, openTestClient } from './syncTestKit';

// Issue #14 leftover: after a search that found no signal the status strip said "Online". A search
// now goes through the engine, which marks the status offline (with the reason) when the probe fails.
let sandbox: Sandbox;
let client: TestClient;

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 12, seed: 2 });
  client = await openTestClient({ baseUrl: sandbox.baseUrl, maxAttempts: 2 });
  expect((await client.engine.run()).isOnline).toBe(true);
});
afterAll(async () => {
  sandbox?.faults.setOffline(false);
  await client?.close();
  await sandbox?.close();
});

describe('status after a search', () => {
  it('a demographic search without signal answers "not asked" at once and the status says offline, with why', async () => {
    sandbox.faults.setOffline(true);
    const started = Date.now();
    expect(await client.engine.searchPatients({ kind: 'name', family: 'Smith' })).toEqual({ isOnline: false });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(client.engine.status()).toMatchObject({ isOnline: false, state: 'offline', lastFailure: { reason: 'offline' } });
  });

  it('an NHS number search without signal does the same', async () => {
    sandbox.faults.setOffline(false);
    expect((await client.engine.run()).state).toBe('idle');
    sandbox.faults.setOffline(true);
    expect(await client.engine.searchCentral('9000000009')).toEqual({ isOnline: false });
    expect(client.engine.status()).toMatchObject({ isOnline: false, state: 'offline' });
  });

  it('with signal, the demographic search answers from the central record', async () => {
    sandbox.faults.setOffline(false);
    const found = await client.engine.searchPatients({ kind: 'name', family: 'a' });
    expect(found.isOnline).toBe(true);
  });
});
