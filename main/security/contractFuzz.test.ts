import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MethodName, methodNames, methods } from '../../contract/methods';
import { ERROR_CODES } from '../../core/errors';
import { DEMO_USERS } from '../../sandbox/demoCast';
import type { TestCore } from '../services/testCalls';
import { caller, startCore, tempDataDir } from '../services/testCalls';

// Every contract method, fed invalid payloads through the real dispatcher (issue #4 hardening):
// each answer is a typed error, and no PHI-shaped input ever comes back in a message or a log line.
// Patient-shaped values (synthetic): a name and a 999-range NHS number.
const PHI_NAME = 'Zebedee Fakepatient';
const PHI_NHS = '9990000018';
const HOSTILE = `${PHI_NAME} ${PHI_NHS} <script>alert(1)</script>`;
const log: string[] = [];
let core: TestCore;
const { signIn, value } = caller(() => core);
const fuzzUser = DEMO_USERS[0]!;

/** A live, unlocked session: the answers must come from the handler, not from "you are signed out". */
async function liveSession(token: string | null): Promise<string> {
  if (token && core.services.sessions.get(token)) return token;
  return signIn(fuzzUser.userId, fuzzUser.pin);
}

beforeAll(async () => {
  core = await startCore(tempDataDir('fuzz'), log);
  // One sync, so there is patient data on the device for a leaky handler to leak.
  await value('sync.run', {}, await liveSession(null));
});
afterAll(async () => {
  await core?.close();
});

/** Shapes of wrong: not an object, wrong types in every field, oversize text, unknown fields, prototype tricks. */
function invalidPayloads(method: MethodName): unknown[] {
  const shape = (methods[method].params as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = Object.keys(shape);
  const wrongValues: unknown[] = [null, 12, -1, 1e308, true, [], [HOSTILE], { nested: HOSTILE }, HOSTILE.repeat(400), '', '\u0000'];
  const payloads: unknown[] = [null, 42, HOSTILE, [HOSTILE], true, { [HOSTILE]: HOSTILE }, JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: HOSTILE }];
  for (const key of keys) for (const wrong of wrongValues) payloads.push({ ...Object.fromEntries(keys.map((k) => [k, HOSTILE])), [key]: wrong });
  payloads.push({ ...Object.fromEntries(keys.map((k) => [k, HOSTILE])), extra: HOSTILE });
  return payloads;
}

describe('contract fuzz', () => {
  it.each(methodNames)('%s answers invalid payloads with typed errors and no PHI', async (method) => {
    let rejected = 0;
    // A fresh session per method, renewed whenever a valid payload ended or locked it (session.signOut
    // with null is valid), so no later payload is answered "unauthenticated" instead of being handled.
    let token: string | null = null;
    for (const params of invalidPayloads(method)) {
      token = await liveSession(token);
      const isInvalid = !methods[method].params.safeParse(params ?? {}).success;
      const result = (await core.dispatch({ method, params, sessionToken: token })) as { ok: boolean; error?: { code: string; message: string } };
      if (!result.ok) expect(['unauthenticated', 'locked']).not.toContain(result.error!.code);
      const text = JSON.stringify(result);
      if (isInvalid) {
        rejected++;
        expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      }
      if (!result.ok) {
        expect(ERROR_CODES).toContain(result.error!.code);
        expect(result.error!.message.length).toBeLessThan(400);
      }
      expect(text).not.toContain(PHI_NHS);
      expect(text).not.toContain(PHI_NAME);
      expect(text).not.toContain('<script>');
    }
    expect(rejected).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers hostile envelopes without echoing them', async () => {
    const envelopes: unknown[] = [
      undefined,
      HOSTILE,
      { method: HOSTILE },
      { method: `${PHI_NHS}.open`, params: {} },
      { method: 'record.open', params: { patientId: 'pat-000001', incidentId: 'x' }, sessionToken: HOSTILE.repeat(10) },
      { method: 'session.current', params: {}, sessionToken: 42 },
    ];
    for (const envelope of envelopes) {
      const result = (await core.dispatch(envelope)) as { ok: boolean; error: { code: string } };
      expect(result.ok).toBe(false);
      expect(ERROR_CODES).toContain(result.error.code);
      expect(JSON.stringify(result)).not.toContain(PHI_NHS);
      expect(JSON.stringify(result)).not.toContain(PHI_NAME);
    }
  });

  it('logged no PHI while doing all that', () => {
    for (const line of log) {
      expect(line).not.toContain(PHI_NHS);
      expect(line).not.toContain(PHI_NAME);
    }
  });
});
