import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../db/storage/connection';
import { DEMO_USERS } from '../../sandbox/demoCast';
import type { TestCore } from '../services/testCalls';
import { signInOnline } from '../services/signInTestKit';
import { caller, startCore, tempDataDir } from '../services/testCalls';
import { openKeyVault } from './keyVault';
import { NEXT_KEY_FILE, rotateDataKey } from './keyRotation';

const medic = DEMO_USERS[0]!;
const colleague = DEMO_USERS[1]!;
let core: TestCore;
const { value, call, signIn } = caller(() => core);
afterAll(async () => {
  await core?.close();
});

describe('data key rotation', () => {
  it('re-encrypts the database under a new key: data kept, old key useless, others re-enrol online', async () => {
    const dataDir = tempDataDir('rotate');
    core = await startCore(dataDir);
    let token = await signIn(medic.userId, medic.pin);
    await value('sync.run', {}, token);
    const before = (await value('incidents.list', {}, token)).incidents.map((i) => i.incidentId).sort();
    const oldKey = (await openKeyVault(dataDir).unlock(medic.userId, medic.pin))!;
    await core.close();

    await expect(rotateDataKey(dataDir, { userId: medic.userId, pin: '0000' })).rejects.toMatchObject({ code: 'wrong-pin' });
    await rotateDataKey(dataDir, medic);
    expect(fs.existsSync(path.join(dataDir, NEXT_KEY_FILE))).toBe(false);
    const newKey = (await openKeyVault(dataDir).unlock(medic.userId, medic.pin))!;
    expect(newKey).not.toBe(oldKey);
    expect(() => openConnection({ directory: dataDir, key: oldKey }, 'onscene')).toThrow();

    core = await startCore(dataDir);
    token = await signIn(medic.userId, medic.pin);
    expect((await value('incidents.list', {}, token)).incidents.map((i) => i.incidentId).sort()).toEqual(before);
    expect(await call('session.signIn', { userId: colleague.userId, pin: colleague.pin })).toMatchObject({ ok: false });
    // With the store open (the medic is signed in), the colleague's online sign-in enrols them on the new key.
    expect((await signInOnline(core, colleague, colleague.pin)).ok).toBe(true);
    expect(await openKeyVault(dataDir).unlock(colleague.userId, colleague.pin)).toBe(newKey);
  });
});
