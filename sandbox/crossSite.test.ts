import { request } from 'node:http';
import type { Bundle, Flag, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../core/fhirCodes';
import { DEMO_PATIENTS, DEMO_USERS } from './demoCast';
import { discoverClient, signIn, TestBrowser } from './identity/browserTestKit';
import { type Sandbox, startSandbox } from './server';
import { fhir } from './testFhir';

// Issue #10 item 4: a page on another local origin POSTed a text/plain transaction to the sandbox
// and planted a safety warning that the next sync showed as real. Reproduced here, over real HTTP.

const planted = (id: string): Flag => ({
  resourceType: 'Flag',
  id,
  status: 'active',
  category: [{ coding: [{ system: SYSTEMS.flagCategory, code: 'safety' }] }],
  code: { text: 'Planted: violent person at address' },
  subject: { reference: `Patient/${DEMO_PATIENTS.noDecision}` },
});

const plantingTransaction = (id: string): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [{ resource: planted(id), request: { method: 'PUT', url: `Flag/${id}` } }],
});

const hasFlag = (sb: Sandbox, id: string): Promise<boolean> => sb.repo.readResource('Flag', id).then(() => true, () => false);

const corsHeaders = (headers: Headers): string[] => [...headers.keys()].filter((k) => k.startsWith('access-control-'));

/** node:http, because fetch will not let a test choose the Host header. */
function rawRequest(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject).end();
  });
}

let sb: Sandbox;
let root: string;
beforeAll(async () => {
  sb = await startSandbox({ patients: 8 });
  root = sb.baseUrl.replace(/\/fhir$/, '');
});
afterAll(() => sb.close());

describe('writes must be FHIR JSON (415 otherwise, nothing applied)', () => {
  it('refuses the text/plain transaction that planted a Flag, with or without a token', async () => {
    for (const token of [undefined, sb.serviceToken]) {
      const res = await fhir<OperationOutcome>(sb.baseUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(plantingTransaction('planted-plain')),
      });
      expect(res.status).toBe(415);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0]?.code).toBe('not-supported');
      expect(res.body.issue[0]?.details?.text).toMatch(/Content-Type text\/plain/);
    }
    expect(await hasFlag(sb, 'planted-plain')).toBe(false);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'POST', '/Flag'],
    ['multipart/form-data; boundary=x', 'POST', '/Flag'],
    ['text/plain', 'PUT', '/Flag/planted-put'],
    ['application/json; charset=iso-8859-1', 'PUT', '/Flag/planted-put'],
    ['application/fhir+json; fhirVersion=4.0; x=1', 'PUT', '/Flag/planted-put'],
    ['application/json-patch+json', 'PUT', '/Flag/planted-put'],
    ['text/plain', 'PATCH', '/Flag/flag-000001-1'],
    ['text/plain', 'DELETE', '/Flag/flag-000001-1'],
  ])('refuses %s on %s', async (contentType, method, path) => {
    const res = await fetch(`${sb.baseUrl}${path}`, {
      method,
      headers: { 'content-type': contentType, authorization: `Bearer ${sb.serviceToken}` },
      body: method === 'DELETE' ? null : JSON.stringify(method === 'PATCH' ? [{ op: 'replace', path: '/status', value: 'inactive' }] : planted('planted-put')),
    });
    expect(res.status).toBe(415);
    expect(await hasFlag(sb, 'planted-put')).toBe(false);
    expect((await sb.repo.readResource<Flag>('Flag', 'flag-000001-1')).status).toBe('active');
  });

  it('refuses a write with no Content-Type at all, a bodiless DELETE included', async () => {
    const del = await fetch(`${sb.baseUrl}/Flag/flag-000001-1`, { method: 'DELETE', headers: { authorization: `Bearer ${sb.serviceToken}` } });
    expect(del.status).toBe(415);
    expect(await hasFlag(sb, 'flag-000001-1')).toBe(true);
  });

  it('accepts FHIR JSON and JSON, with charset=utf-8, and JSON Patch for PATCH', async () => {
    for (const [i, contentType] of ['application/fhir+json', 'application/json', 'application/fhir+json; charset=utf-8', 'Application/JSON;charset="UTF-8"'].entries()) {
      const res = await fhir(`${sb.baseUrl}/Flag/typed-${i}`, { method: 'PUT', token: sb.serviceToken, headers: { 'content-type': contentType }, json: planted(`typed-${i}`) });
      expect(res.status).toBe(201);
    }
    const patched = await fetch(`${sb.baseUrl}/Flag/typed-0`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json', authorization: `Bearer ${sb.serviceToken}` },
      body: JSON.stringify([{ op: 'replace', path: '/status', value: 'inactive' }]),
    });
    expect(patched.status).toBe(200);
  });

  it('still takes a search by POST (form-encoded, a read) without a token', async () => {
    const res = await fetch(`${sb.baseUrl}/Flag/_search`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_count=1' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Bundle).type).toBe('searchset');
  });
});

describe('browser requests from other origins are refused (403, no CORS headers)', () => {
  const page = 'http://127.0.0.1:9999';

  it('refuses a read with an Origin header, so a page cannot read patient data', async () => {
    for (const origin of [page, 'null', 'http://localhost:5173']) {
      const res = await fhir<OperationOutcome>(`${sb.baseUrl}/Patient?_count=1`, { headers: { origin } });
      expect(res.status).toBe(403);
      expect(res.body.issue[0]?.code).toBe('forbidden');
      expect(corsHeaders(res.headers)).toEqual([]);
    }
  });

  it('refuses a write with an Origin header even when it is FHIR JSON with a valid token', async () => {
    const res = await fhir(sb.baseUrl, { method: 'POST', token: sb.serviceToken, headers: { origin: page }, json: plantingTransaction('planted-origin') });
    expect(res.status).toBe(403);
    expect(corsHeaders(res.headers)).toEqual([]);
    expect(await hasFlag(sb, 'planted-origin')).toBe(false);
  });

  it('refuses the CORS preflight, so no page ever gets to send the write', async () => {
    const res = await fetch(sb.baseUrl, { method: 'OPTIONS', headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(res.status).toBe(403);
    expect(corsHeaders(res.headers)).toEqual([]);
  });

  it('refuses Sec-Fetch-Site cross-site and same-site (no-cors requests carry no Origin)', async () => {
    for (const site of ['cross-site', 'same-site', 'something-new', '']) {
      expect((await fetch(`${sb.baseUrl}/Patient?_count=1`, { headers: { 'sec-fetch-site': site } })).status).toBe(403);
    }
    const write = await fhir(`${sb.baseUrl}/Flag/planted-site`, { method: 'PUT', token: sb.serviceToken, headers: { 'sec-fetch-site': 'cross-site' }, json: planted('planted-site') });
    expect(write.status).toBe(403);
    expect(await hasFlag(sb, 'planted-site')).toBe(false);
  });

  it('serves Sec-Fetch-Site none and same-origin (a user typing the URL, the sandbox itself)', async () => {
    for (const site of ['none', 'same-origin']) expect((await fetch(`${sb.baseUrl}/Patient?_count=1`, { headers: { 'sec-fetch-site': site } })).status).toBe(200);
  });

  it('refuses a Host other than its loopback address (DNS rebinding makes a page look same-origin)', async () => {
    const url = `${sb.baseUrl}/Patient?_count=1`;
    expect(await rawRequest(url, { host: `attacker.example:${sb.port}`, 'sec-fetch-site': 'same-origin' })).toBe(403);
    expect(await rawRequest(url, { host: `127.0.0.1:${sb.port + 1}` })).toBe(403);
    expect(await rawRequest(url, { host: `localhost:${sb.port}` })).toBe(200);
    expect(await rawRequest(url, {})).toBe(200);
  });

  it('guards the test controls the same way', async () => {
    const offline = await fetch(`${root}/__offline`, { method: 'POST', headers: { origin: page, 'content-type': 'text/plain' }, body: '{"offline":true}' });
    expect(offline.status).toBe(403);
    expect(corsHeaders(offline.headers)).toEqual([]);
    expect(sb.faults.isOffline()).toBe(false);
    const faults = await fetch(`${root}/__faults`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body: '{"mode":"status","status":500}' });
    expect(faults.status).toBe(403);
    expect(sb.faults.state().spec.mode).toBe('none');
    expect((await fetch(`${root}/__listening`, { method: 'POST', headers: { origin: page }, body: '{"listening":false}' })).status).toBe(403);
    expect(sb.isListening()).toBe(true);
    expect((await fetch(`${root}/__faults`, { headers: { origin: page } })).status).toBe(403);
  });
});

describe('writes need a bearer token (identity off: the service token)', () => {
  it('answers 401 to a write without a token, or with a wrong one, and applies nothing', async () => {
    const none = await fhir<OperationOutcome>(`${sb.baseUrl}/Flag/planted-token`, { method: 'PUT', json: planted('planted-token') });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="OnScene sandbox"');
    expect(none.body.issue[0]?.code).toBe('login');
    for (const token of ['wrong', `${sb.serviceToken}x`, sb.serviceToken.slice(0, -1)]) {
      const wrong = await fhir(`${sb.baseUrl}/Flag/planted-token`, { method: 'PUT', token, json: planted('planted-token') });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    }
    const basic = await fhir(`${sb.baseUrl}/Flag/planted-token`, { method: 'PUT', headers: { authorization: `Basic ${sb.serviceToken}` }, json: planted('planted-token') });
    expect(basic.status).toBe(401);
    const transaction = await fhir(sb.baseUrl, { method: 'POST', json: plantingTransaction('planted-token') });
    expect(transaction.status).toBe(401);
    const del = await fhir(`${sb.baseUrl}/Flag/flag-000001-1`, { method: 'DELETE' });
    expect(del.status).toBe(401);
    expect(await hasFlag(sb, 'planted-token')).toBe(false);
    expect(await hasFlag(sb, 'flag-000001-1')).toBe(true);
  });

  it('applies a write with the service token', async () => {
    expect(sb.serviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const res = await fhir(sb.baseUrl, { method: 'POST', token: sb.serviceToken, json: plantingTransaction('written-with-token') });
    expect(res.status).toBe(200);
    expect(await hasFlag(sb, 'written-with-token')).toBe(true);
  });

  it('serves reads without a token, and ignores a wrong one on reads', async () => {
    expect((await fhir(`${sb.baseUrl}/Patient?_count=1`)).status).toBe(200);
    expect((await fhir(`${sb.baseUrl}/Flag/written-with-token`, { token: 'wrong' })).status).toBe(200);
  });

  it('gives every start its own service token', async () => {
    const other = await startSandbox({ patients: 4 });
    try {
      expect(other.serviceToken).not.toBe(sb.serviceToken);
      expect((await fhir(`${other.baseUrl}/Flag/x`, { method: 'PUT', token: sb.serviceToken, json: planted('x') })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('leaves writes open only when asked to (requireWriteToken: false)', async () => {
    const open = await startSandbox({ patients: 4, requireWriteToken: false });
    try {
      expect((await fhir(`${open.baseUrl}/Flag/open-write`, { method: 'PUT', json: planted('open-write') })).status).toBe(201);
      // The media type and origin checks still apply.
      expect((await fetch(`${open.baseUrl}/Flag/open-plain`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(planted('open-plain')) })).status).toBe(415);
      expect((await fhir(`${open.baseUrl}/Flag/open-origin`, { method: 'PUT', headers: { origin: 'http://127.0.0.1:9999' }, json: planted('open-origin') })).status).toBe(403);
    } finally {
      await open.close();
    }
  });
});

describe('writes need a bearer token (identity on: an access token from its provider, or the service token)', () => {
  let idp: Sandbox;
  beforeAll(async () => {
    idp = await startSandbox({ patients: 4, identity: true });
  });
  afterAll(() => idp.close());

  it('refuses a write without a token, accepts an access token and the service token, and keeps reads open', async () => {
    expect((await fhir(`${idp.baseUrl}/Flag/idp-none`, { method: 'PUT', json: planted('idp-none') })).status).toBe(401);
    expect((await fhir(`${idp.baseUrl}/Flag/idp-forged`, { method: 'PUT', token: 'forged', json: planted('idp-forged') })).status).toBe(401);
    const medic = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
    const { tokens } = await signIn(await discoverClient(idp.issuer ?? ''), new TestBrowser(), medic.userId, medic.password);
    expect((await fhir(`${idp.baseUrl}/Flag/idp-user`, { method: 'PUT', token: tokens.access_token, json: planted('idp-user') })).status).toBe(201);
    expect((await fhir(`${idp.baseUrl}/Flag/idp-service`, { method: 'PUT', token: idp.serviceToken, json: planted('idp-service') })).status).toBe(201);
    expect(await hasFlag(idp, 'idp-none')).toBe(false);
    expect(await hasFlag(idp, 'idp-forged')).toBe(false);
    expect((await fhir(`${idp.baseUrl}/Patient?_count=1`)).status).toBe(200);
  });
});
