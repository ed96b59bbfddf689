import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CarePlan } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../sandbox/faults';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { ALL_DISTRICTS, openTestClient } from './syncTestKit';

// Fault injection on the real sandbox over HTTP: after recovery the store equals a fault-free run.
const PAGE = 20;
let sandbox: Sandbox;
let reference: Map<string, string>;

async function syncWith(fault: FaultSpec | null, onPhase?: (phase: string) => void) {
  sandbox.faults.reset();
  const client = await openTestClient({ baseUrl: sandbox.baseUrl, area: ALL_DISTRICTS, pageSize: PAGE, onStatus: (s) => onPhase?.(s.progress.phase) });
  if (fault) sandbox.faults.set(fault);
  const startedAt = performance.now();
  const first = await client.engine.run();
  const firstMs = performance.now() - startedAt;
  sandbox.faults.reset();
  const second = first.lastFailure ? await client.engine.run() : first;
  return { client, first, firstMs, second, fingerprint: await client.fingerprint() };
}

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 50, seed: 7 });
  const clean = await syncWith(null);
  expect(clean.first.lastFailure).toBeNull();
  reference = clean.fingerprint;
  await clean.client.close();
  expect(reference.size).toBeGreaterThan(300);
});
afterAll(async () => {
  await sandbox?.close();
});

describe('recovers from every fault the road throws, to the same store as a fault-free run', () => {
  const cases: [string, FaultSpec][] = [
    ['connection dropped mid-body', { mode: 'drop', count: 3, pathPrefix: 'Observation' }],
    ['slow answers', { mode: 'delay', delayMs: 150, count: 4 }],
    ['HTTP 500', { mode: 'status', status: 500, count: 2 }],
    ['HTTP 503', { mode: 'status', status: 503, count: 3, pathPrefix: 'MedicationStatement' }],
    ['truncated JSON', { mode: 'truncate', count: 3, pathPrefix: 'Condition' }],
  ];
  it.each(cases)('%s', async (_name, fault) => {
    const run = await syncWith(fault);
    expect(run.first.lastFailure).toBeNull(); // retried within the run
    expect(run.fingerprint).toEqual(reference);
    if (fault.mode !== 'delay') expect(run.client.engine.clientStats().retries).toBeGreaterThan(0);
    await run.client.close();
  });

  it('honours Retry-After on a 429', async () => {
    const run = await syncWith({ mode: 'status', status: 429, retryAfterS: 1, count: 1, pathPrefix: 'Consent' });
    expect(run.first.lastFailure).toBeNull();
    expect(run.firstMs).toBeGreaterThanOrEqual(1000); // our own backoff would have been ~5 ms
    expect(run.fingerprint).toEqual(reference);
    await run.client.close();
  });

  it('resumes after the signal is lost half-way through a type, re-sending at most one page', async () => {
    let isTripped = false;
    const run = await syncWith(null, (phase) => {
      const m = /observations: (\d+) of (\d+)/.exec(phase);
      if (!isTripped && m && Number(m[1]) * 2 >= Number(m[2])) {
        isTripped = true;
        sandbox.faults.setOffline(true);
      }
    });
    expect(isTripped).toBe(true);
    expect(run.first.state).toBe('offline');
    expect(run.first.lastFailure?.reason).toBe('offline');
    expect(run.second.lastFailure).toBeNull();
    expect(run.client.engine.lastRun()?.stats.duplicates ?? 99).toBeLessThanOrEqual(PAGE);
    expect(run.fingerprint).toEqual(reference);
    await run.client.close();
  });
});

describe('bad data and bad credentials', () => {
  it('quarantines a malformed resource, reports it, and syncs the rest', async () => {
    const lax = await startSandbox({ patients: 10, seed: 7, validateWrites: false });
    const client = await openTestClient({ baseUrl: lax.baseUrl, pageSize: PAGE });
    try {
      await lax.repo.updateResource({ resourceType: 'CarePlan', id: 'careplan-broken', status: 'not-a-status', intent: 'plan', subject: { reference: 'Patient/pat-000001' } } as unknown as CarePlan & { id: string });
      const status = await client.engine.run();
      expect(status.lastFailure).toBeNull();
      expect(status.quarantined).toBe(1);
      const keys = [...(await client.fingerprint()).keys()];
      expect(keys).not.toContain('CarePlan/careplan-broken');
      expect(keys).toContain('CarePlan/careplan-000001-eol');
    } finally {
      await client.close();
      await lax.close();
    }
  });

  it('stops on 401 with "sign in online again" and does not loop', async () => {
    let requests = 0;
    const gateway = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(401, { 'content-type': 'application/fhir+json', 'www-authenticate': 'Bearer error="invalid_token"' }).end('{"resourceType":"OperationOutcome","issue":[]}');
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const client = await openTestClient({ baseUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/fhir`, bearerToken: 'expired' });
    try {
      const first = await client.engine.run();
      expect(first.lastFailure).toMatchObject({ reason: 'auth' });
      expect(first.lastFailure?.message).toMatch(/Sign in online again/);
      expect(requests).toBe(1);
      await client.engine.run();
      await client.engine.run();
      expect(requests).toBe(1);
      client.engine.reauthenticated();
      await client.engine.run();
      expect(requests).toBe(2);
    } finally {
      await client.close();
      gateway.close();
    }
  });

  it('says so when the device clock is wrong, and still syncs on server time', async () => {
    const client = await openTestClient({ baseUrl: sandbox.baseUrl, now: () => new Date(Date.now() + 11 * 60_000) });
    try {
      const status = await client.engine.run();
      expect(status).toMatchObject({ state: 'error', isOnline: true, lastFailure: { reason: 'clock' } });
      expect(status.lastFailure?.message).toMatch(/about 11 minutes/);
      expect(Math.abs(Date.parse(status.lastSuccessAt ?? '') - Date.now())).toBeLessThan(60_000);
      expect((await client.fingerprint()).has('Consent/consent-000001-eol')).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('probes the server and says offline without retrying into the void', async () => {
    const client = await openTestClient({ baseUrl: sandbox.baseUrl });
    sandbox.faults.setOffline(true);
    try {
      const status = await client.engine.run();
      expect(status).toMatchObject({ state: 'offline', isOnline: false, lastFailure: { reason: 'offline' } });
      expect(client.engine.clientStats()).toMatchObject({ requests: 1, retries: 0 });
    } finally {
      sandbox.faults.setOffline(false);
      await client.close();
    }
  });
});
