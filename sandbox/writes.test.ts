import type { Bundle, Flag, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { DEMO_PATIENTS } from './demoCast';
import { type Sandbox, startSandbox } from './server';
import { SEED_EPOCH_MS } from './synthTime';
import { fhir } from './testFhir';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ patients: 40, seed: 5 });
});
afterAll(() => sb.close());

const flag = (id: string, text: string): Flag & { id: string } => ({
  resourceType: 'Flag',
  id,
  status: 'active',
  category: [{ coding: [{ system: SYSTEMS.flagCategory, code: 'safety' }] }],
  code: { text },
  subject: { reference: `Patient/${DEMO_PATIENTS.noDecision}` },
});

describe('versioned updates', () => {
  it('answers 412 to a stale If-Match and applies a current one', async () => {
    const url = `${sb.baseUrl}/Patient/${DEMO_PATIENTS.noDecision}`;
    const read = await fhir<Patient>(url);
    expect(read.headers.get('etag')).toBe('W/"1"');
    const edited = { ...read.body, telecom: [{ system: 'phone' as const, value: '01632 960000' }] };
    const ok = await fhir<Patient>(url, { token: sb.serviceToken, method: 'PUT', json: edited, headers: { 'if-match': 'W/"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body.meta?.versionId).toBe('2');
    expect(Date.parse(ok.body.meta?.lastUpdated ?? '')).toBeGreaterThan(SEED_EPOCH_MS + 3_600_000); // real clock, after the seed
    const stale = await fhir<OperationOutcome>(url, { token: sb.serviceToken, method: 'PUT', json: edited, headers: { 'if-match': 'W/"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    expect((await fhir<Patient>(url)).body.meta?.versionId).toBe('2');
  });

  it('creates on PUT with a client id, and a retried PUT leaves one resource', async () => {
    const before = sb.repo.count('Flag');
    const url = `${sb.baseUrl}/Flag/client-flag-1`;
    const first = await fhir<Flag>(url, { token: sb.serviceToken, method: 'PUT', json: flag('client-flag-1', 'Oxygen in use at property') });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`${sb.baseUrl}/Flag/client-flag-1/_history/1`);
    const retry = await fhir<Flag>(url, { token: sb.serviceToken, method: 'PUT', json: flag('client-flag-1', 'Oxygen in use at property') });
    expect(retry.status).toBe(200);
    expect(sb.repo.count('Flag')).toBe(before + 1);
    expect(retry.body.code.text).toBe('Oxygen in use at property');
  });

  it('creates conditionally with If-None-Exist, once', async () => {
    const patient: Patient = { resourceType: 'Patient', identifier: [{ system: SYSTEMS.nhsNumber, value: '9990000018' }], name: [{ family: 'Conditionson' }] };
    const headers = { 'if-none-exist': `identifier=${SYSTEMS.nhsNumber}|9990000018` };
    const first = await fhir<Patient>(`${sb.baseUrl}/Patient`, { token: sb.serviceToken, method: 'POST', json: patient, headers });
    const second = await fhir<Patient>(`${sb.baseUrl}/Patient`, { token: sb.serviceToken, method: 'POST', json: patient, headers });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
  });

  it('patches with If-Match and keeps every version readable', async () => {
    const url = `${sb.baseUrl}/Flag/flag-000001-1`;
    const patch = [{ op: 'replace', path: '/status', value: 'inactive' }];
    const res = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"1"', authorization: `Bearer ${sb.serviceToken}` }, body: JSON.stringify(patch) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Flag).meta?.versionId).toBe('2');
    expect((await fhir<Flag>(`${url}/_history/1`)).body.status).toBe('active');
    expect((await fhir<Flag>(`${url}/_history/2`)).body.status).toBe('inactive');
    const stale = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"1"', authorization: `Bearer ${sb.serviceToken}` }, body: JSON.stringify(patch) });
    expect(stale.status).toBe(412);
    await sb.repo.updateResource({ ...(await sb.repo.readResource<Flag>('Flag', 'flag-000001-1')), id: 'flag-000001-1', status: 'active' });
  });

  it('rejects a resource that is not valid FHIR R4', async () => {
    const res = await fhir<OperationOutcome>(`${sb.baseUrl}/Flag/bad-flag`, { token: sb.serviceToken, method: 'PUT', json: { ...flag('bad-flag', 'x'), colour: 'red' } });
    expect(res.status).toBe(400);
    await expect(sb.repo.readResource('Flag', 'bad-flag')).rejects.toThrow();
  });

  it('ignores a client id on POST and assigns its own', async () => {
    const res = await fhir<Flag>(`${sb.baseUrl}/Flag`, { token: sb.serviceToken, method: 'POST', json: flag('chosen-by-client', 'Risk of absconding from care') });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe('chosen-by-client');
  });
});

describe('transactions and batches', () => {
  const entry = (f: Flag, ifMatch?: string): NonNullable<Bundle['entry']>[number] => ({
    resource: f,
    request: { method: 'PUT', url: `Flag/${f.id ?? ''}`, ...(ifMatch ? { ifMatch } : {}) },
  });

  it('applies nothing when one entry fails, and names the entry', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [entry(flag('tx-a', 'A')), entry(flag('tx-b', 'B')), entry(flag('flag-000001-1', 'stale edit'), 'W/"99"')],
    };
    const before = (await sb.repo.readResource<Flag>('Flag', 'flag-000001-1')).meta?.versionId;
    const res = await fhir<OperationOutcome>(sb.baseUrl, { token: sb.serviceToken, method: 'POST', json: bundle });
    expect(res.status).toBe(412);
    expect(res.body.issue[0]?.expression).toEqual(['Bundle.entry[2]']);
    expect(res.body.issue[0]?.details?.text).toMatch(/Bundle\.entry\[2\]/);
    for (const id of ['tx-a', 'tx-b']) expect((await fhir(`${sb.baseUrl}/Flag/${id}`)).status).toBe(404);
    expect((await sb.repo.readResource<Flag>('Flag', 'flag-000001-1')).meta?.versionId).toBe(before);
    const history = await fhir<Bundle>(`${sb.baseUrl}/Flag/_history?_count=1000`);
    expect(history.body.entry?.some((e) => e.resource?.id === 'tx-a')).toBe(false);
  });

  it('rolls back updates, deletes and creates, in the indexes too', async () => {
    await sb.repo.updateResource(flag('tx-keep', 'Keep me'));
    const original = await sb.repo.readResource<Flag>('Flag', 'flag-000001-1');
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        entry({ ...original, id: 'flag-000001-1', code: { text: 'changed in a failed transaction' } }),
        { request: { method: 'DELETE', url: 'Flag/tx-keep' } },
        { resource: { resourceType: 'Patient', name: [{ family: 'Rolledback' }] }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Flag', status: 'active', code: { text: 'x' }, subject: { reference: 'Patient/pat-000001' }, colour: 'red' } as Flag, request: { method: 'POST', url: 'Flag' } },
      ],
    };
    const res = await fhir<OperationOutcome>(sb.baseUrl, { token: sb.serviceToken, method: 'POST', json: bundle });
    expect(res.status).toBe(400);
    expect(res.body.issue[0]?.expression).toEqual(['Bundle.entry[3]']);
    expect(await sb.repo.readResource<Flag>('Flag', 'flag-000001-1')).toEqual(original);
    expect((await sb.repo.readResource<Flag>('Flag', 'tx-keep')).code.text).toBe('Keep me');
    const rolledBack = await fhir<Bundle>(`${sb.baseUrl}/Patient?family=Rolledback`);
    expect(rolledBack.body.total).toBe(0);
    const byPatient = await fhir<Bundle>(`${sb.baseUrl}/Flag?patient=Patient/${DEMO_PATIENTS.noDecision}&_id=tx-keep`);
    expect(byPatient.body.total).toBe(1);
    const changed = await fhir<Bundle>(`${sb.baseUrl}/Flag?_lastUpdated=gt${original.meta?.lastUpdated ?? ''}&_id=flag-000001-1`);
    expect(changed.body.total).toBe(0);
  });

  it('applies every entry of a good transaction and resolves urn:uuid references', async () => {
    const patient: Patient = { resourceType: 'Patient', name: [{ family: 'Transactionson', given: ['Tia'] }] };
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:8f1c1a8e-0c5d-4f5e-9a59-0d4f1f4f2a11', resource: patient, request: { method: 'POST', url: 'Patient' } },
        { resource: { ...flag('tx-c', 'C'), subject: { reference: 'urn:uuid:8f1c1a8e-0c5d-4f5e-9a59-0d4f1f4f2a11' } }, request: { method: 'PUT', url: 'Flag/tx-c' } },
      ],
    };
    const res = await fhir<Bundle>(sb.baseUrl, { token: sb.serviceToken, method: 'POST', json: bundle });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const created = await sb.repo.readResource<Flag>('Flag', 'tx-c');
    const patientRef = created.subject.reference ?? '';
    expect(patientRef).toMatch(/^Patient\/[0-9a-f-]{36}$/);
    expect((await fhir(`${sb.baseUrl}/${patientRef}`)).status).toBe(200);
  });

  it('processes a batch per entry', async () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'batch', entry: [entry(flag('batch-a', 'A')), entry(flag('flag-000001-1', 'stale'), 'W/"99"')] };
    const res = await fhir<Bundle>(sb.baseUrl, { token: sb.serviceToken, method: 'POST', json: bundle });
    expect(res.status).toBe(200);
    expect(res.body.entry?.map((e) => e.response?.status)).toEqual(['201', '412']);
    expect((await fhir(`${sb.baseUrl}/Flag/batch-a`)).status).toBe(200);
  });
});

describe('history', () => {
  it('shows a deletion in type history since an instant', async () => {
    const since = new Date().toISOString();
    await sb.repo.updateResource(flag('to-delete', 'Premises warning: aggressive dog'));
    const del = await fhir(`${sb.baseUrl}/Flag/to-delete`, { token: sb.serviceToken, method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await fhir(`${sb.baseUrl}/Flag/to-delete`)).status).toBe(410);
    expect((await fhir(`${sb.baseUrl}/Flag/to-delete`, { token: sb.serviceToken, method: 'DELETE' })).status).toBe(200); // a retried delete
    // Newest first, as R4 defines history; `_sort` (R5) is ignored, as HAPI FHIR JPA ignores it (issue #17).
    const history = await fhir<Bundle>(`${sb.baseUrl}/Flag/_history?_since=${encodeURIComponent(since)}&_sort=_lastUpdated`);
    const mine = (history.body.entry ?? []).filter((e) => e.fullUrl === `${sb.baseUrl}/Flag/to-delete`);
    expect(mine.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT']);
    expect(mine[0]?.resource).toBeUndefined();
    expect(mine[0]?.response?.etag).toBe('W/"2"');
    const searched = await fhir<Bundle>(`${sb.baseUrl}/Flag?_id=to-delete`);
    expect(searched.body.total).toBe(0);
    const instance = await fhir<Bundle>(`${sb.baseUrl}/Flag/to-delete/_history`);
    expect(instance.body.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT']);
  });

  it('pages type history with next links, newest first by default', async () => {
    const total = (await fhir<Bundle>(`${sb.baseUrl}/Patient/_history?_count=1`)).body.total ?? 0;
    const ids: string[] = [];
    let url: string | undefined = `${sb.baseUrl}/Patient/_history?_count=7`;
    let last = '9999';
    while (url) {
      const page: Bundle = (await fhir<Bundle>(url)).body;
      for (const e of page.entry ?? []) {
        const stamp = e.response?.lastModified ?? '';
        expect(stamp <= last).toBe(true);
        last = stamp;
        ids.push(`${e.fullUrl ?? ''}@${e.response?.etag ?? ''}`);
      }
      url = page.link?.find((l) => l.relation === 'next')?.url;
    }
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
  });
});
