import { request } from 'node:http';
import type { Bundle, CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from './server';
import { fhir } from './testFhir';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ patients: 12 });
});
afterAll(() => sb.close());

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

describe('HTTP surface', () => {
  it('listens on 127.0.0.1 with the FHIR base at /fhir', () => {
    expect(sb.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    expect(sb.port).toBeGreaterThan(0);
  });

  it('answers bad JSON with 400 OperationOutcome and keeps serving', async () => {
    const res = await fetch(`${sb.baseUrl}/Patient`, { method: 'POST', headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${sb.serviceToken}` }, body: '{"resourceType": "Patient",' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    const body = (await res.json()) as OperationOutcome;
    expect(body.resourceType).toBe('OperationOutcome');
    expect((await fetch(`${sb.baseUrl}/metadata`)).status).toBe(200);
  });

  it('rejects a body of the wrong type and an id mismatch', async () => {
    const wrongType = await fhir(`${sb.baseUrl}/Patient/pat-000001`, { token: sb.serviceToken, method: 'PUT', json: { resourceType: 'Flag', id: 'pat-000001' } });
    expect(wrongType.status).toBe(400);
    const wrongId = await fhir(`${sb.baseUrl}/Patient/pat-000001`, { token: sb.serviceToken, method: 'PUT', json: { resourceType: 'Patient', id: 'other' } });
    expect(wrongId.status).toBe(400);
  });

  it('gzips when the client accepts it, and not otherwise', async () => {
    const url = `${sb.baseUrl}/Observation?_count=50`;
    const zipped = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const plain = await rawGet(url, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(plain.bytes.toString('utf8')) as Bundle).entry).toHaveLength(50);
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length / 3);
  });

  it('serves a CapabilityStatement and 404s outside /fhir', async () => {
    const meta = await fhir<CapabilityStatement>(`${sb.baseUrl}/metadata`);
    expect(meta.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    const root = sb.baseUrl.replace(/\/fhir$/, '');
    expect((await fetch(`${root}/`)).status).toBe(404);
    expect((await fetch(`${root}/__nothing`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${sb.baseUrl}/Patient`, { method: 'OPTIONS' })).status).toBe(405);
    expect((await fetch(`${sb.baseUrl}/NotAType/_history`)).status).toBe(400);
  });

  it('handles concurrent writes and reads without losing any', async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      fhir(`${sb.baseUrl}/Patient/concurrent-${i}`, { token: sb.serviceToken, method: 'PUT', json: { resourceType: 'Patient', id: `concurrent-${i}`, name: [{ family: 'Parallelson' }] } }));
    const reads = Array.from({ length: 20 }, () => fetch(`${sb.baseUrl}/Patient?_count=5`).then((r) => r.status));
    const results = await Promise.all([...writes.map((w) => w.then((r) => r.status)), ...reads]);
    expect(results.filter((s) => s === 201)).toHaveLength(40);
    const stamps = await Promise.all(Array.from({ length: 40 }, (_, i) => sb.repo.readResource('Patient', `concurrent-${i}`).then((p) => p.meta?.lastUpdated)));
    expect(new Set(stamps).size).toBe(40); // monotonic clock: no two writes share an instant
  });
});
