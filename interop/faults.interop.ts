import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../sandbox/faults';
import { openTestClient } from '../sync/syncTestKit';
import { type Central, type Fixture, INTEROP_ENV, openCentral, writeFixture } from './interopTestKit';

// Faults only the sandbox can be asked for (its switch: 5xx, 429 with Retry-After, truncated JSON,
// offline). Against any other server this file reports itself skipped: a real server cannot be
// told to fail, and the cut-connection cases (resume, push, audit) cover the network against both.
const isSandbox = !process.env[INTEROP_ENV];
let central: Central;
let fx: Fixture;

beforeAll(async () => {
  if (!isSandbox) return;
  central = await openCentral();
  fx = await writeFixture(central);
});
afterAll(async () => {
  await central?.close();
});

describe.skipIf(!isSandbox)('sandbox-only faults during an incident pull', () => {
  const cases: [string, FaultSpec][] = [
    ['HTTP 500', { mode: 'status', status: 500, count: 2 }],
    ['HTTP 503 on one type', { mode: 'status', status: 503, count: 3, pathPrefix: 'Condition' }],
    ['truncated JSON', { mode: 'truncate', count: 3, pathPrefix: 'Consent' }],
    ['HTTP 429 with Retry-After', { mode: 'status', status: 429, retryAfterS: 1, count: 1, pathPrefix: 'Flag' }],
  ];
  it.each(cases)('%s: retried within the run, to the same store as a fault-free run', async (_name, fault) => {
    const sandbox = central.sandbox!;
    const options = { baseUrl: central.baseUrl, bearerToken: central.bearerToken!, vehicle: fx.vehicle(), pageSize: 5 };
    const clean = await openTestClient(options);
    expect((await clean.engine.run()).lastFailure).toBeNull();
    const reference = await clean.fingerprint();
    await clean.close();
    const client = await openTestClient(options);
    sandbox.faults.set(fault);
    try {
      expect((await client.engine.run()).lastFailure).toBeNull();
    } finally {
      sandbox.faults.reset();
    }
    expect(client.engine.clientStats().retries).toBeGreaterThan(0);
    expect(await client.fingerprint()).toEqual(reference);
    await client.close();
  });

  it('no signal: the run says offline and the next one completes', async () => {
    const sandbox = central.sandbox!;
    const client = await openTestClient({ baseUrl: central.baseUrl, bearerToken: central.bearerToken!, vehicle: fx.vehicle(), maxAttempts: 2 });
    sandbox.faults.setOffline(true);
    try {
      expect((await client.engine.run()).state).toBe('offline');
    } finally {
      sandbox.faults.setOffline(false);
    }
    expect((await client.engine.run()).lastFailure).toBeNull();
    await client.close();
  });
});
