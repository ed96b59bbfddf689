import { setTimeout as sleep } from 'node:timers/promises';
import type { Bundle, OperationOutcome, Practitioner } from '@medplum/fhirtypes';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, SDS_USER_ID_SYSTEM } from '../demoCast';
import { type Sandbox, startSandbox } from '../server';
import { fhir } from '../testFhir';
import { bearerToken } from './accessTokens';
import { discoverClient, signIn, TestBrowser } from './browserTestKit';

const medic = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
const TTL_S = 2;

let sb: Sandbox;
let config: oidc.Configuration;
beforeAll(async () => {
  sb = await startSandbox({ patients: 8, identity: { accessTokenTtlSeconds: TTL_S }, requireBearer: true });
  config = await discoverClient(sb.issuer ?? '');
});
afterAll(() => sb.close());

const withToken = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

describe('requireBearer', () => {
  it('needs identity', async () => {
    await expect(startSandbox({ patients: 4, requireBearer: true })).rejects.toThrow(/requireBearer needs identity/);
  });

  it('refuses FHIR requests without a token, or with one the provider did not issue', async () => {
    expect(sb.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const none = await fhir<OperationOutcome>(`${sb.baseUrl}/Patient?_count=1`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="OnScene sandbox"');
    expect(none.body.resourceType).toBe('OperationOutcome');
    expect(none.body.issue[0]?.code).toBe('login');
    const forged = await fhir<OperationOutcome>(`${sb.baseUrl}/metadata`, withToken('not-a-token'));
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    // The test controls stay open: a test can always switch faults off.
    expect((await fetch(`${sb.baseUrl.replace(/\/fhir$/, '')}/__faults`)).status).toBe(200);
  });

  it('serves a live access token, refuses it after expiry, and serves the refreshed one', async () => {
    const { tokens } = await signIn(config, new TestBrowser(), medic.userId, medic.password);
    const sub = tokens.claims()?.sub ?? '';
    const search = `${sb.baseUrl}/Practitioner?identifier=${encodeURIComponent(`${SDS_USER_ID_SYSTEM}|${sub}`)}`;
    const found = await fhir<Bundle<Practitioner>>(search, withToken(tokens.access_token));
    expect(found.status).toBe(200);
    expect(found.body.entry?.map((e) => e.resource?.id)).toEqual([medic.practitionerId]);

    await sleep((TTL_S + 1) * 1000);
    const late = await fhir<OperationOutcome>(search, withToken(tokens.access_token));
    expect(late.status).toBe(401);
    expect(late.body.issue[0]?.details?.text).toMatch(/expired/);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect((await fhir(search, withToken(refreshed.access_token))).status).toBe(200);
  });

  it('takes writes with a live access token, and the service token for reads and writes', async () => {
    const { tokens } = await signIn(config, new TestBrowser(), medic.userId, medic.password);
    const flag = { resourceType: 'Flag', status: 'active', code: { text: 'Key safe at rear door' }, subject: { reference: 'Patient/pat-000003' } };
    expect((await fhir(`${sb.baseUrl}/Flag/bearer-user`, { method: 'PUT', token: tokens.access_token, json: { ...flag, id: 'bearer-user' } })).status).toBe(201);
    expect((await fhir(`${sb.baseUrl}/Flag/bearer-none`, { method: 'PUT', json: { ...flag, id: 'bearer-none' } })).status).toBe(401);
    expect((await fhir(`${sb.baseUrl}/Flag/bearer-service`, { method: 'PUT', token: sb.serviceToken, json: { ...flag, id: 'bearer-service' } })).status).toBe(201);
    expect((await fhir(`${sb.baseUrl}/Flag/bearer-user`, { token: sb.serviceToken })).status).toBe(200);
  });

  it('refuses the access token once the app signs out (refresh token revoked)', async () => {
    const { tokens } = await signIn(config, new TestBrowser(), medic.userId, medic.password);
    expect((await fhir(`${sb.baseUrl}/Patient?_count=1`, withToken(tokens.access_token))).status).toBe(200);
    await oidc.tokenRevocation(config, tokens.refresh_token ?? '', { token_type_hint: 'refresh_token' });
    expect((await fhir(`${sb.baseUrl}/Patient?_count=1`, withToken(tokens.access_token))).status).toBe(401);
  });

  it('parses the Authorization header per RFC 6750', () => {
    expect(bearerToken('Bearer abc.DEF-1_2~3+4/5==')).toBe('abc.DEF-1_2~3+4/5==');
    expect(bearerToken('bearer abc')).toBe('abc');
    for (const bad of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearer a"b']) expect(bearerToken(bad)).toBeUndefined();
  });
});
