import type { Patient, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { createScopeRepo } from '../db/scopeRepo';
import type { BundlePage, FhirClient } from './fhirClient';
import { FhirClientError, createFhirClient } from './fhirClient';
import { findPatientIdsByNhsNumber } from './onlineSearch';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { openTestClient } from './syncTestKit';

// Scope 3 from an online search against the real sandbox over HTTP: exact matches only, the
// patient arrives whole (safety tier included) with a search hold, and the hold expires into a purge.
let sandbox: Sandbox;
const nhsNumberOf = (p: Patient) => p.identifier?.find((i) => i.system === SYSTEMS.nhsNumber)?.value ?? '';

/** A sandbox patient on no incident of `vehicle`, with at least one Consent and one Flag. */
async function searchTarget(vehicle: string): Promise<Patient & { id: string }> {
  const assigned = new Set((await sandbox.repo.search<Task>('Task', { owner: `Device/vehicle-${vehicle}` })).map((t) => t.for?.reference));
  for (const p of await sandbox.repo.search<Patient>('Patient', { _count: '200' })) {
    if (assigned.has(`Patient/${p.id}`)) continue;
    const consents = await sandbox.repo.search('Consent', { patient: `Patient/${p.id}` });
    const flags = await sandbox.repo.search('Flag', { patient: `Patient/${p.id}` });
    if (consents.length > 0 && flags.length > 0) return p;
  }
  throw new Error('no suitable sandbox patient');
}

const serverIds = async (type: string, patientId: string) => (await sandbox.repo.search(type as 'Consent', { patient: `Patient/${patientId}` })).map((r) => `${type}/${r.id}`).sort();

function stubClient(entries: unknown[]): FhirClient {
  const page: BundlePage = { entries: entries.map((resource) => ({ resource, search: { mode: 'match' } })), total: entries.length, nextUrl: null, serverTime: new Date().toISOString() };
  return {
    baseUrl: 'http://central.invalid/fhir',
    probe: async () => '',
    page: async () => page,
    read: async () => null,
    transaction: async () => ({ isOk: false, status: 500, failedIndex: null, serverTime: '' }),
    stats: () => ({ requests: 0, retries: 0, bytesIn: 0, bytesOut: 0 }),
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 80, seed: 5 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('findPatientIdsByNhsNumber', () => {
  it('finds exactly the patient with the number on the central record, and nobody for an unknown number', async () => {
    const target = await searchTarget('K101');
    const http = createFhirClient({ baseUrl: sandbox.baseUrl });
    expect(await findPatientIdsByNhsNumber(http, nhsNumberOf(target))).toEqual([target.id]);
    expect(await findPatientIdsByNhsNumber(http, '9000000009')).toEqual([]);
  });

  it('ignores a loose match (another number or system) and refuses a match it cannot read, without PHI', async () => {
    const meta = { lastUpdated: '2026-01-01T00:00:00Z', versionId: '1' };
    const other = { resourceType: 'Patient', id: 'p-other', meta, identifier: [{ system: SYSTEMS.nhsNumber, value: '9000000017' }] };
    const local = { resourceType: 'Patient', id: 'p-local', meta, identifier: [{ system: 'https://example.org/mrn', value: '9000000009' }] };
    const exact = { resourceType: 'Patient', id: 'p-exact', meta, identifier: [{ system: SYSTEMS.nhsNumber, value: '9000000009' }] };
    expect(await findPatientIdsByNhsNumber(stubClient([other, local, exact]), '9000000009')).toEqual(['p-exact']);
    const unreadable = { resourceType: 'Patient', id: 'p-bad', meta, birthDate: 'yesterday', identifier: [{ system: SYSTEMS.nhsNumber, value: '9000000009' }] };
    const error = await findPatientIdsByNhsNumber(stubClient([unreadable]), '9000000009').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirClientError);
    expect((error as FhirClientError).reason).toBe('bad-data');
    expect(String((error as Error).message)).not.toContain('9000000009');
  });
});

describe('engine: search, hold, run, expire', () => {
  it('holds a searched patient, brings it whole with Consent and Flags, then purges it when the hold expires', async () => {
    const client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: 'K101', pageSize: 40 });
    try {
      const target = await searchTarget('K101');
      await client.engine.run();
      expect((await client.fingerprint()).has(`Patient/${target.id}`)).toBe(false);

      const found = await client.engine.searchCentral(nhsNumberOf(target));
      expect(found).toEqual({ isOnline: true, patientIds: [target.id] });
      await client.engine.holdForSearch(target.id, 1500);
      const status = await client.engine.runAfterCurrent();
      expect(status.lastFailure).toBeNull();
      const local = [...(await client.fingerprint()).keys()];
      expect(local).toContain(`Patient/${target.id}`);
      for (const type of ['Consent', 'Flag']) {
        const ids = await serverIds(type, target.id);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(local).toContain(id);
      }
      const scope = await createScopeRepo(client.store).get(target.id);
      expect(scope?.holds).toEqual([expect.objectContaining({ scope: 'search', ref: 'search', pending: [] })]);
      expect(scope?.consentConfirmedAt).not.toBe('');

      await new Promise((r) => setTimeout(r, 2100));
      await client.engine.run();
      expect((await client.fingerprint()).has(`Patient/${target.id}`)).toBe(false);
      expect((await client.engine.purged())[0]).toMatchObject({ patientId: target.id, reason: 'expired', scopes: ['search'] });
    } finally {
      await client.close();
    }
  });

  it('runAfterCurrent waits for a run in flight and starts another, so a hold made meanwhile is in it', async () => {
    let runs = 0;
    const client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: 'K101', pageSize: 40, onPulled: () => runs++ });
    try {
      const target = await searchTarget('K101');
      const first = client.engine.run();
      await client.engine.holdForSearch(target.id);
      await client.engine.runAfterCurrent();
      await first;
      expect(runs).toBe(2);
      expect((await client.fingerprint()).has(`Patient/${target.id}`)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('offline: answers at once that the central record was not asked, and the status says offline', async () => {
    const client = await openTestClient({ baseUrl: sandbox.baseUrl, vehicle: 'K101', maxAttempts: 2 });
    try {
      sandbox.faults.setOffline(true);
      const target = await searchTarget('K101');
      const started = Date.now();
      expect(await client.engine.searchCentral(nhsNumberOf(target))).toEqual({ isOnline: false });
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(client.engine.status().isOnline).toBe(false);
    } finally {
      sandbox.faults.setOffline(false);
      await client.close();
    }
  });
});
