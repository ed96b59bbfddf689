import { parseSearchRequest } from '@medplum/core';
import type { Bundle, Observation, Patient, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { DEMO_INCIDENTS, DEMO_PATIENTS } from './demoCast';
import { type Sandbox, startSandbox } from './server';
import { planIndexedSearch } from './indexedSearch';
import { fhir, matchIds, nextLink, walkPages } from './testFhir';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ patients: 300, seed: 3 });
});
afterAll(() => sb.close());

describe('paging by lastUpdated', () => {
  it('returns every resource exactly once when following next links', async () => {
    const total = sb.repo.count('Observation');
    expect(total).toBeGreaterThan(1000);
    const pages = await walkPages(`${sb.baseUrl}/Observation?_lastUpdated=ge2026-01-01T00:00:00Z&_sort=_lastUpdated&_count=97`);
    const ids = matchIds(pages);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(pages.length).toBe(Math.ceil(total / 97));
    expect(pages[0]?.total).toBe(total);
    const stamps = pages.flatMap((p) => p.entry ?? []).map((e) => e.resource?.meta?.lastUpdated ?? '');
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('pages newest first with -_lastUpdated, and honours gt', async () => {
    const all = matchIds(await walkPages(`${sb.baseUrl}/Flag?_sort=-_lastUpdated&_count=7`));
    expect(all).toHaveLength(sb.repo.count('Flag'));
    const first = await fhir<Bundle>(`${sb.baseUrl}/Flag?_sort=_lastUpdated&_count=1`);
    const stamp = first.body.entry?.[0]?.resource?.meta?.lastUpdated ?? '';
    const after = matchIds(await walkPages(`${sb.baseUrl}/Flag?_lastUpdated=gt${stamp}&_sort=_lastUpdated&_count=5`));
    expect(after).toEqual([...all].reverse().slice(1));
  });

  it('sees a resource changed mid-walk again at the end, never loses one', async () => {
    const url = `${sb.baseUrl}/Condition?_lastUpdated=ge2026-01-01&_sort=_lastUpdated&_count=50`;
    const firstPage = await fhir<Bundle>(url);
    const seen = firstPage.body.entry?.map((e) => `Condition/${e.resource?.id}`) ?? [];
    const edited = firstPage.body.entry?.[0]?.resource;
    if (!edited?.id) throw new Error('no condition');
    await sb.repo.updateResource({ ...edited, id: edited.id, note: [{ text: 'edited' }] });
    const rest = matchIds(await walkPages(nextLink(firstPage.body) ?? ''));
    expect(new Set([...seen, ...rest]).size).toBe(sb.repo.count('Condition'));
    expect(rest.at(-1)).toBe(`Condition/${edited.id}`);
  });

  it('rejects an invalid _lastUpdated', async () => {
    const res = await fhir(`${sb.baseUrl}/Observation?_lastUpdated=ge-yesterday`);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});

describe('indexed searches agree with Medplum', () => {
  const queries = [
    `Observation?patient=Patient/${DEMO_PATIENTS.eolDnacpr}`,
    'Observation?subject=Patient/pat-000042',
    'Observation?subject=pat-000042',
    'MedicationStatement?patient=pat-000100,pat-000101',
    'Task?owner=Device/vehicle-K101&status=ready,in-progress',
    'Task?patient=Patient/pat-000050&status=completed',
    'CarePlan?status=active&_lastUpdated=ge2026-06-01T00:10:00Z',
    'Consent?patient=Patient/pat-000002&_id=consent-000002-respect',
    // Issue #11: what sync asks of the types it added (the shapes cast and the caseload).
    'MedicationRequest?patient=pat-x01,pat-x07,pat-000010,pat-000011,pat-000012,pat-000013',
    'QuestionnaireResponse?patient=Patient/pat-x04',
    'Encounter?patient=pat-x03',
    'Procedure?patient=pat-x03',
    'Immunization?patient=pat-x03',
    'DocumentReference?patient=pat-x03,pat-x07',
    'RelatedPerson?patient=pat-x02',
    'CareTeam?patient=pat-x02',
    'Medication?_id=medication-adrenaline-300-autoinjector,medication-glucagon-1mg',
    'MedicationRequest?status=active&_lastUpdated=ge2026-06-01T00:10:00Z',
  ];
  it('answers every issue #11 query from its indexes, not a scan', () => {
    for (const query of queries.slice(-10)) expect(planIndexedSearch(sb.repo.raw.store, parseSearchRequest(query), sb.baseUrl), query).toBeDefined();
  });
  it.each(queries)('%s', async (query) => {
    const viaIndex = (await sb.repo.raw.searchResources(parseSearchRequest(`${query}&_count=1000`))).map((r) => r.id).sort();
    const viaMedplum = ((await sb.repo.raw.inner.search(parseSearchRequest(query))).entry ?? []).map((e) => e.resource?.id).sort();
    expect(viaIndex).toEqual(viaMedplum);
  });
});

describe('look-ups', () => {
  it('finds a patient by NHS number identifier (system|value and value alone)', async () => {
    const patient = await sb.repo.readResource<Patient>('Patient', DEMO_PATIENTS.sickleCellForCpr);
    const nhs = patient.identifier?.[0]?.value ?? '';
    for (const q of [`${SYSTEMS.nhsNumber}|${nhs}`, nhs]) {
      const res = await fhir<Bundle<Patient>>(`${sb.baseUrl}/Patient?identifier=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      expect(res.body.entry?.[0]?.resource?.id).toBe(DEMO_PATIENTS.sickleCellForCpr);
      expect(res.body.entry?.[0]?.fullUrl).toBe(`${sb.baseUrl}/Patient/${DEMO_PATIENTS.sickleCellForCpr}`);
    }
    const none = await fhir<Bundle>(`${sb.baseUrl}/Patient?identifier=${encodeURIComponent(`${SYSTEMS.nhsNumber}|9990000000`)}`);
    expect(none.body.total).toBe(0);
  });

  it('returns a vehicle\'s incidents with their patients and decisions via _include and _revinclude', async () => {
    const url = `${sb.baseUrl}/Task?owner=Device/vehicle-K101&status=ready,in-progress&_include=Task:patient&_revinclude:iterate=Consent:patient`;
    const res = await fhir<Bundle>(url);
    expect(res.status).toBe(200);
    const byMode = (mode: string): string[] => (res.body.entry ?? []).filter((e) => e.search?.mode === mode).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
    expect(byMode('match').sort()).toEqual(DEMO_INCIDENTS.k101.map((id) => `Task/${id}`).sort());
    const included = byMode('include');
    for (const id of [DEMO_PATIENTS.eolDnacpr, DEMO_PATIENTS.sickleCellForCpr, DEMO_PATIENTS.noDecision]) expect(included).toContain(`Patient/${id}`);
    expect(included.filter((r) => r.startsWith('Consent/')).sort()).toEqual(['Consent/consent-000001-eol', 'Consent/consent-000002-respect']);
    expect((res.body.entry ?? []).every((e) => e.fullUrl?.startsWith(sb.baseUrl))).toBe(true);
  });

  it('understands a typed reference modifier (subject:Patient=id)', async () => {
    const typed = await fhir<Bundle>(`${sb.baseUrl}/Observation?subject:Patient=pat-000042`);
    const plain = await fhir<Bundle>(`${sb.baseUrl}/Observation?subject=Patient/pat-000042`);
    expect(typed.body.total).toBeGreaterThan(0);
    expect(matchIds([typed.body])).toEqual(matchIds([plain.body]));
  });

  it('falls back to Medplum for other searches, with offset paging', async () => {
    const pages = await walkPages(`${sb.baseUrl}/Patient?gender=female&_count=40`);
    const ids = matchIds(pages);
    expect(ids.length).toBe(pages[0]?.total);
    expect(new Set(ids).size).toBe(ids.length);
    expect(nextLink(pages[0] as Bundle)).toMatch(/_offset=40/);
  });

  it('counts with _summary=count and caps _count at 1000', async () => {
    const count = await fhir<Bundle>(`${sb.baseUrl}/Observation?_summary=count`);
    expect(count.body.total).toBe(sb.repo.count('Observation'));
    expect(count.body.entry).toBeUndefined();
    const big = await fhir<Bundle<Observation>>(`${sb.baseUrl}/Observation?_count=5000`);
    expect(big.body.entry).toHaveLength(1000);
  });

  it('searches POSTed as a form', async () => {
    const res = await fetch(`${sb.baseUrl}/Task/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ owner: 'Device/vehicle-K202', status: 'ready,in-progress' }).toString(),
    });
    const bundle = (await res.json()) as Bundle<Task>;
    expect(bundle.entry?.map((e) => e.resource?.id)).toContain(DEMO_INCIDENTS.k202[0]);
  });
});
