import type { Bundle, Flag, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { type Sandbox, startSandbox } from './server';
import { fhir } from './testFhir';

let sb: Sandbox;
let root: string;
beforeAll(async () => {
  sb = await startSandbox({ patients: 20, seed: 9 });
  root = sb.baseUrl.replace(/\/fhir$/, '');
});
afterEach(() => sb.faults.reset());
afterAll(() => sb.close());

const control = (path: string, body: unknown): Promise<Response> =>
  fetch(`${root}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('fault switch over HTTP', () => {
  it('delays requests by delayMs, then resets after count', async () => {
    expect((await control('/__faults', { mode: 'delay', delayMs: 300, count: 1 })).status).toBe(200);
    let t0 = performance.now();
    expect((await fetch(`${sb.baseUrl}/metadata`)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    t0 = performance.now();
    await fetch(`${sb.baseUrl}/metadata`);
    expect(performance.now() - t0).toBeLessThan(250);
    expect(sb.faults.state().spec.mode).toBe('none');
  });

  it('answers the given status for count requests, then serves normally', async () => {
    await control('/__faults', { mode: 'status', status: 503, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${sb.baseUrl}/Patient?_count=1`)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('answers 429 with Retry-After', async () => {
    await control('/__faults', { mode: 'status', status: 429, retryAfterS: 7 });
    const res = await fhir<OperationOutcome>(`${sb.baseUrl}/Patient`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body.resourceType).toBe('OperationOutcome');
    sb.faults.set({ mode: 'status', status: 429 });
    expect((await fetch(`${sb.baseUrl}/Patient`)).headers.get('retry-after')).toBe('1');
  });

  it('drop: sends headers and part of the body, then destroys the socket (the write itself is applied)', async () => {
    await control('/__faults', { mode: 'drop', afterBytes: 20, count: 1 });
    const flag: Flag = {
      resourceType: 'Flag', id: 'dropped-flag', status: 'active', code: { text: 'Oxygen in use at property' },
      category: [{ coding: [{ system: SYSTEMS.flagCategory, code: 'safety' }] }], subject: { reference: 'Patient/pat-000003' },
    };
    const res = await fetch(`${sb.baseUrl}/Flag/dropped-flag`, { method: 'PUT', headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${sb.serviceToken}` }, body: JSON.stringify(flag) });
    expect(res.status).toBe(201);
    await expect(res.text()).rejects.toThrow();
    expect((await sb.repo.readResource<Flag>('Flag', 'dropped-flag')).code.text).toBe('Oxygen in use at property');
  });

  it('truncate: a complete response whose JSON is cut short', async () => {
    await control('/__faults', { mode: 'truncate', count: 1 });
    const res = await fetch(`${sb.baseUrl}/Patient?_count=5`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(text.startsWith('{"resourceType":"Bundle"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('only affects paths under pathPrefix', async () => {
    await control('/__faults', { mode: 'status', status: 500, pathPrefix: 'Observation' });
    expect((await fetch(`${sb.baseUrl}/Patient?_count=1`)).status).toBe(200);
    expect((await fetch(`${sb.baseUrl}/Observation?_count=1`)).status).toBe(500);
  });

  it('offline: every FHIR request fails at the socket, controls still answer', async () => {
    expect((await control('/__offline', { offline: true })).status).toBe(200);
    await expect(fetch(`${sb.baseUrl}/metadata`)).rejects.toThrow();
    expect((await fetch(`${root}/__faults`)).status).toBe(200);
    await control('/__offline', { offline: false });
    expect((await fetch(`${sb.baseUrl}/metadata`)).status).toBe(200);
  });

  it('rejects an invalid fault with 400 and keeps the current one', async () => {
    for (const body of [{ mode: 'explode' }, { mode: 'status', status: 404 }, { mode: 'delay', delayMs: -1 }, { mode: 'none', extra: 1 }, '{not json']) {
      const res = await control('/__faults', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
    }
    expect(() => sb.faults.set({ mode: 'status', status: 404 as 500 })).toThrow();
    expect(sb.faults.state().spec.mode).toBe('none');
  });
});

describe('listening', () => {
  it('stops and starts listening on the same port', async () => {
    await sb.stopListening();
    expect(sb.isListening()).toBe(false);
    await expect(fetch(`${sb.baseUrl}/metadata`)).rejects.toThrow();
    await sb.startListening();
    const res = await fhir<Bundle>(`${sb.baseUrl}/Patient?_count=1`);
    expect(res.status).toBe(200);
  });

  it('can be suspended over HTTP and resumes by itself', async () => {
    expect((await control('/__listening', { listening: false, resumeAfterMs: 300 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${sb.baseUrl}/metadata`)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${sb.baseUrl}/metadata`)).status).toBe(200);
  });
});
