import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../sandbox/demoCast';
import { startSandbox } from '../sandbox/server';
import { type AppCore, createAppCore, shouldEnrolDemoUsers } from './app';
import { caller, tempDataDir } from './services/testCalls';

// Demo users (PINs published in the README) are enrolled only with the embedded sandbox, or when
// ONSCENE_DEMO_USERS=1 asks: a device pointed at a real central record (--central) starts unenrolled.
const medic = DEMO_USERS[0]!;
let central: Awaited<ReturnType<typeof startSandbox>>;
let core: AppCore | null = null;
const { call, value } = caller(() => core as AppCore);

const coreFor = (env: NodeJS.ProcessEnv) =>
  createAppCore({
    config: { centralUrl: central.baseUrl, dataDir: tempDataDir('demo-enrol'), port: 0, centralToken: null, vehicle: 'K101', syncIntervalMs: 3_600_000 },
    emit: () => {},
    log: () => {},
    env,
  });

beforeAll(async () => {
  central = await startSandbox({ patients: 8, seed: 1 }); // stands in for a real central record given by --central
});
afterAll(async () => {
  await core?.close();
  await central?.close();
});

describe('demo enrolment', () => {
  it('is the sandbox default, or explicit', () => {
    expect(shouldEnrolDemoUsers(true, {})).toBe(true);
    expect(shouldEnrolDemoUsers(false, {})).toBe(false);
    expect(shouldEnrolDemoUsers(false, { ONSCENE_DEMO_USERS: '1' })).toBe(true);
    expect(shouldEnrolDemoUsers(false, { ONSCENE_DEMO_USERS: 'true' })).toBe(false);
  });

  it('with --central, enrols nobody: offline sign-in says the device needs enrolment, online sign-in enrols', async () => {
    core = await coreFor({});
    expect(await value('device.status', {})).toMatchObject({ state: 'not-enrolled' });
    const offline = await call('session.signIn', { userId: medic.userId, pin: medic.pin });
    expect(offline).toMatchObject({ ok: false, error: { code: 'online-sign-in-required', message: expect.stringMatching(/not enrolled yet\. Sign in online/) } });
    const online = await value('session.signInOnline', { userId: medic.userId, pin: medic.pin });
    expect(online.user.userId).toBe(medic.userId);
    expect(await value('device.status', {})).toMatchObject({ state: 'ready' });
    await core.close();
    core = null;
  });

  it('with --central and ONSCENE_DEMO_USERS=1, enrols the demo users at first start', async () => {
    core = await coreFor({ ONSCENE_DEMO_USERS: '1' });
    expect(await value('device.status', {})).toMatchObject({ state: 'ready' });
    expect((await value('session.signIn', { userId: medic.userId, pin: medic.pin })).user.userId).toBe(medic.userId);
  });
});
