import { parseSearchRequest } from '@medplum/core';
import { getExtraEntries } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canIncludeFast } from './fastInclude';
import { type Sandbox, startSandbox } from './server';
import { fhir } from './testFhir';

// The sandbox's own _include (sandbox/fastInclude.ts) must answer exactly what Medplum's would.
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ patients: 300, seed: 4 });
});
afterAll(() => sb.close());

const keysOf = (entries: readonly BundleEntry[]) => entries.map((e) => `${e.search?.mode}:${e.resource?.resourceType}/${e.resource?.id}`).sort();

async function medplumIncluded(query: string, bundle: Bundle): Promise<string[]> {
  const req = parseSearchRequest(query);
  const matches = (bundle.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource as Resource);
  const extra: BundleEntry[] = [];
  await getExtraEntries(sb.repo.raw, req, matches, extra);
  return keysOf(extra.map((e) => ({ ...e, search: { mode: 'include' } })));
}

describe('_include answered without FHIRPath', () => {
  it.each([
    'MedicationRequest?_count=200&_include=MedicationRequest:medication',
    'MedicationStatement?_count=200&_include=MedicationStatement:medication',
    'CarePlan?_count=100&_include=CarePlan:subject',
    'Task?status=ready,in-progress&_count=100&_include=Task:patient',
    'MedicationRequest?_count=200&_include=MedicationRequest:medication&_include=MedicationRequest:subject',
  ])('%s gives what Medplum gives', async (query) => {
    const { status, body } = await fhir<Bundle>(`${sb.baseUrl}/${query}`);
    expect(status).toBe(200);
    const ours = keysOf((body.entry ?? []).filter((e) => e.search?.mode === 'include'));
    expect(ours).toEqual(await medplumIncluded(query, body));
    expect(new Set(ours).size).toBe(ours.length);
  });

  it('includes the Medications prescriptions reference, and leaves what it cannot walk to Medplum', async () => {
    const { body } = await fhir<Bundle>(`${sb.baseUrl}/MedicationRequest?_count=1000&_include=MedicationRequest:medication`);
    expect((body.entry ?? []).some((e) => e.search?.mode === 'include' && e.resource?.resourceType === 'Medication')).toBe(true);
    expect(canIncludeFast(parseSearchRequest('Task?_include:iterate=Task:patient').include ?? [])).toBe(false);
    expect(canIncludeFast(parseSearchRequest('MedicationRequest?_include=MedicationRequest:medication').include ?? [])).toBe(true);
  });
});
