import fs from 'node:fs';
import path from 'node:path';
import type { Practitioner } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { startSandbox } from '../../sandbox/server';
import { TestBrowser } from '../../sandbox/identity/browserTestKit';
import { onlineTicket, signInOnline } from '../services/signInTestKit';
import { type Sandbox, type TestCore, caller, startCore, tempDataDir } from '../services/testCalls';

// Issue #9: users come from the identity provider and the central record, not a list in code.
// The sandbox stands in for a real central record that requires bearer tokens, with its OIDC
// provider; the device starts with nobody enrolled, as a real deployment does.
const medic = DEMO_USERS.find((u) => u.role === 'paramedic')!;
const clinician = DEMO_USERS.find((u) => u.role === 'clinician')!;
const handler = DEMO_USERS.find((u) => u.role === 'call-handler')!;
let central: Sandbox;
let core: TestCore;
let dataDir: string;
const { call, value } = caller(() => core);

beforeAll(async () => {
  central = await startSandbox({ patients: 8, seed: 1, identity: { accessTokenTtlSeconds: 2 }, requireBearer: true });
  dataDir = tempDataDir('online-sign-in');
  core = await startCore(dataDir, [], central.baseUrl, {
    enrolDemo: false,
    config: { identity: { issuer: central.issuer!, clientId: 'onscene', scope: 'openid profile offline_access' } },
  });
});
afterAll(async () => {
  await core?.close();
  await central?.close();
});

const keyFileExists = () => fs.existsSync(path.join(dataDir, 'keys.json'));

describe('a fresh device against a real central record', () => {
  it('knows nobody, and says to sign in online', async () => {
    expect(await value('session.users', {})).toEqual({ users: [], isOnlineSignInConfigured: true });
    expect(await value('device.status', {})).toMatchObject({ state: 'not-enrolled' });
    expect(await call('session.signIn', { userId: medic.userId, pin: medic.pin })).toMatchObject({ ok: false, error: { code: 'online-sign-in-required' } });
  });

  it('never enrols anyone on wrong credentials at the identity provider', async () => {
    const browser = new TestBrowser();
    await expect(onlineTicket(core, { userId: medic.userId, password: 'not-the-password' }, browser)).rejects.toThrow(/did not send the browser back/);
    expect(browser.visited.some((url) => url.includes('/oidc/callback'))).toBe(false);
    expect(keyFileExists()).toBe(false);
    expect((await value('session.users', {})).users).toEqual([]);
  });

  it('refuses a callback it did not start (forged or replayed state), and enrols nobody', async () => {
    const forged = await core.app.completeOnlineRedirect(new URL('http://127.0.0.1:1/oidc/callback?code=abc&state=not-ours'));
    expect(await call('session.onlineTicket', { ticket: forged })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('session.onlineComplete', { ticket: forged, pin: '135790' })).toMatchObject({ ok: false });
    expect(keyFileExists()).toBe(false);
  });

  it('refuses someone the identity provider knows but the central record has no staff record for', async () => {
    const practitioner = await central.repo.readResource<Practitioner>('Practitioner', clinician.practitionerId);
    await central.repo.updateResource<Practitioner>({ ...practitioner, identifier: [] });
    try {
      const ticket = await onlineTicket(core, clinician);
      expect(await call('session.onlineTicket', { ticket })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/no staff record/) } });
      expect(keyFileExists()).toBe(false);
    } finally {
      await central.repo.updateResource<Practitioner>(practitioner);
    }
  });

  it('enrols a user who exists only at the identity provider and the central record, with a PIN of 6+ digits they choose', async () => {
    const ticket = await onlineTicket(core, medic);
    expect(await value('session.onlineTicket', { ticket })).toEqual({
      user: { userId: medic.userId, displayName: medic.displayName, role: 'paramedic', vehicle: 'K101' },
      isEnrolled: false,
      minPinLength: 6,
    });
    expect(await call('session.onlineComplete', { ticket, pin: '1234' })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/at least 6 digits/) } });
    expect(keyFileExists()).toBe(false);
    const signedIn = await value('session.onlineComplete', { ticket, pin: '135790' });
    expect(signedIn.user).toMatchObject({ userId: medic.userId, role: 'paramedic' });
    expect(await call('session.onlineComplete', { ticket, pin: '135790' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } }); // one use
    expect(await value('device.status', {})).toMatchObject({ state: 'ready' });
    expect((await value('session.users', {})).users.map((u) => u.userId)).toEqual([medic.userId]);

    // The access token authorises the FHIR calls: this central record refuses any request without one.
    expect((await value('sync.run', {}, signedIn.sessionToken)).lastFailure).toBeNull();
    expect((await value('incidents.list', {}, signedIn.sessionToken)).incidents.length).toBeGreaterThan(0);

    // Offline, the same user now signs in with the PIN they chose.
    await value('session.signOut', {}, signedIn.sessionToken);
    const offline = await value('session.signIn', { userId: medic.userId, pin: '135790' });
    expect(offline.user.userId).toBe(medic.userId);
  });

  it('renews an expiring access token with its refresh token before a sync', async () => {
    const signedIn = await signInOnline(core, medic, '135790');
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // the 2 s access token has lapsed
    expect((await value('sync.run', {}, signedIn.value.sessionToken)).lastFailure).toBeNull();
  });

  it('a 401 from the central record asks for online sign-in again, and an online sign-in resumes sync', async () => {
    const token = (await value('session.signIn', { userId: medic.userId, pin: '135790' })).sessionToken;
    core.services.tokens.dropAll(); // e.g. a restart: offline sign-in has no access token
    const refused = await value('sync.run', {}, token);
    expect(refused.lastFailure).toMatchObject({ reason: 'auth', message: expect.stringMatching(/Sign in online again/) });
    const again = await signInOnline(core, medic, '135790');
    expect(again.ok).toBe(true);
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
  });

  it('a second user enrols online while the store is open, and a wrong PIN at that step enrols no one', async () => {
    const first = (await value('session.signIn', { userId: medic.userId, pin: '135790' })).sessionToken;
    expect(first).toBeTruthy();
    const ticket = await onlineTicket(core, handler);
    expect(await value('session.onlineTicket', { ticket })).toMatchObject({ isEnrolled: false, user: { role: 'call-handler', vehicle: null } });
    expect((await value('session.onlineComplete', { ticket, pin: '246801' })).user.userId).toBe(handler.userId);
    const again = await onlineTicket(core, handler);
    expect(await value('session.onlineTicket', { ticket: again })).toMatchObject({ isEnrolled: true });
    expect(await call('session.onlineComplete', { ticket: again, pin: '999999' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect((await value('session.users', {})).users.map((u) => u.userId).sort()).toEqual([handler.userId, medic.userId].sort());
  });
});
