import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, openTestClient } from '../sync/syncTestKit';
import { type CutProxy, startCutProxy } from './cutProxy';
import { type Central, type Fixture, openCentral, writeFixture } from './interopTestKit';

// Resume after a cut connection (LESSONS: CHT #7528 restarted from zero): a real proxy drops the
// TCP connection part-way through answers; the next run resumes from the last committed page.
let central: Central;
let fx: Fixture;
let proxy: CutProxy;
const clients: TestClient[] = [];
const token = () => (central.bearerToken ? { bearerToken: central.bearerToken } : {});

beforeAll(async () => {
  central = await openCentral();
  fx = await writeFixture(central);
  proxy = await startCutProxy(central.baseUrl);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await proxy?.close();
  await central?.close();
});

describe('a connection that drops mid-response', () => {
  it('ends the run as offline with what arrived committed, and the next run completes without starting again', async () => {
    const reference = await openTestClient({ baseUrl: central.baseUrl, ...token(), vehicle: fx.vehicle(), pageSize: 3 });
    clients.push(reference);
    expect((await reference.engine.run()).lastFailure).toBeNull();
    const whole = reference.engine.lastRun()!.stats.resources;
    const expected = await reference.fingerprint();

    let isCutting = false;
    const client = await openTestClient({
      baseUrl: proxy.baseUrl, ...token(), vehicle: fx.vehicle(), pageSize: 3, maxAttempts: 2,
      // Part-way through the pull, every answer starts arriving and is cut off (the signal keeps dropping).
      onStatus: () => {
        if (!isCutting && proxy.requests() >= 14) {
          isCutting = true;
          proxy.cutAll(120);
        }
      },
    });
    clients.push(client);
    const dropped = await client.engine.run();
    expect(isCutting).toBe(true);
    expect(proxy.cuts()).toBeGreaterThan(0);
    expect(dropped.state).toBe('offline');
    expect(dropped.lastFailure?.reason).toBe('offline');
    const partial = await client.fingerprint();
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size).toBeLessThan(expected.size);

    proxy.cutAll(null);
    const resumed = await client.engine.run();
    expect(resumed.lastFailure).toBeNull();
    expect(await client.fingerprint()).toEqual(expected);
    // Resumed, not restarted: the second run fetched less than a whole pull.
    expect(client.engine.lastRun()!.stats.resources).toBeLessThan(whole);
  });
});
