import { createHash, randomBytes } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../db/storage/connection';
import { DEMO_USERS } from '../../sandbox/demoCast';
import type { TestCore } from '../services/testCalls';
import { signInOnline } from '../services/signInTestKit';
import { caller, startCore, tempDataDir } from '../services/testCalls';
import { RECOVERY_DIR } from './deviceState';
import { openKeyVault } from './keyVault';
import { DEVICE_ID_SYSTEM, DEVICE_INSTRUCTION_SYSTEM, WIPE_CODE } from './remoteWipe';

// Keys at rest, recovery and remote wipe with real files, the real encrypted SQLite and the real
// sandbox over HTTP (issue #4).
const medic = DEMO_USERS[0]!;
const colleague = DEMO_USERS[1]!;
const cores: TestCore[] = [];
let current: TestCore;
const { call, value, signIn } = caller(() => current);
const open = async (dataDir: string) => {
  current = await startCore(dataDir);
  cores.push(current);
  return current;
};
afterAll(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
});

const filesIn = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesIn(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function waitFor(check: () => Promise<boolean>, ms = 15_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('keys at rest', () => {
  it('after a full sync, no plaintext NHS number or name is in the database, its WAL, journal or any other file; a wrong PIN decrypts nothing', async () => {
    const dataDir = tempDataDir('at-rest');
    await open(dataDir);
    const token = await signIn(medic.userId, medic.pin);
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const incidents = (await value('incidents.list', {}, token)).incidents;
    for (const i of incidents) await value('record.open', { patientId: i.patient!.patientId, incidentId: i.incidentId }, token);
    const secrets = incidents.flatMap((i) => [i.patient!.nhsNumber!, ...i.patient!.name.split(/[\s,]+/).filter((w) => w.length > 3)]);
    expect(secrets.length).toBeGreaterThan(6);
    // The database is open and its WAL is live: this is the state a thief finds on a running laptop's disk.
    const files = filesIn(dataDir);
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const secret of secrets) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `${path.basename(file)} holds plaintext`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${path.basename(file)} holds UTF-16 plaintext`).toBe(false);
      }
    }
    // Temporary files are created already unlinked (nothing to scan) and are not encrypted by
    // SQLite3MultipleCiphers, so the connections that open our file keep them in memory (temp_store 2).
    const key = (await openKeyVault(dataDir).unlock(medic.userId, medic.pin))!;
    const connection = openConnection({ directory: dataDir, key }, 'onscene');
    expect(Number(connection.db.pragma('temp_store', { simple: true }))).toBe(2);
    connection.db.close();

    // A wrong PIN unwraps nothing, and no other key opens the file.
    expect(await openKeyVault(dataDir).unlock(medic.userId, '1112')).toBeNull();
    expect(() => openConnection({ directory: dataDir, key: randomBytes(32).toString('hex') }, 'onscene')).toThrow();
    expect(() => new Database(path.join(dataDir, 'onscene.sqlite'), { readonly: true }).prepare('SELECT count(*) FROM sqlite_master').get()).toThrow();
  });
});

describe('remote wipe', () => {
  it('an instruction on the Device resource, found during sync, uploads audit, shreds the key and data, and the next start says so', async () => {
    const dataDir = tempDataDir('wipe');
    const core = await open(dataDir);
    const token = await signIn(medic.userId, medic.pin);
    await value('sync.run', {}, token);
    const deviceId = core.app.deviceId;
    await core.sandbox!.repo.createResource({
      resourceType: 'Device',
      status: 'inactive',
      statusReason: [{ coding: [{ system: DEVICE_INSTRUCTION_SYSTEM, code: WIPE_CODE }] }],
      identifier: [{ system: DEVICE_ID_SYSTEM, value: deviceId }],
    });
    await call('sync.run', {}, token);
    await waitFor(async () => (await value('device.status', {})).state === 'wiped');

    const left = fs.readdirSync(dataDir);
    expect(left.filter((f) => f.startsWith('onscene.sqlite') || f === 'keys.json' || f === 'signin.json' || f === 'users.json')).toEqual([]);
    expect(await call('incidents.list', {}, token)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const offline = await call('session.signIn', { userId: medic.userId, pin: medic.pin });
    expect(offline).toMatchObject({ ok: false, error: { code: 'online-sign-in-required' } });
    if (!offline.ok) expect(offline.error.message).toMatch(/wiped/);
    // The wipe itself was audited and uploaded with the rest before the shred.
    const uploaded = await core.sandbox!.repo.search<AuditEvent>('AuditEvent', { _count: '1000' });
    const purposes = uploaded.map((e) => e.purposeOfEvent?.[0]?.text);
    expect(purposes).toContain('remote wipe instruction from the central record');
    expect(purposes).toContain('offline sign-in');
    expect(uploaded.every((e) => e.source.observer.identifier?.value === deviceId)).toBe(true);

    await core.close();
    await open(dataDir);
    const status = await value('device.status', {});
    expect(status).toMatchObject({ state: 'wiped' });
    expect(status.message).toMatch(/was wiped on the central record's instruction/);
    // Only an online sign-in sets it up again, with a new key.
    expect((await signInOnline(current, medic, medic.pin)).ok).toBe(true);
    expect(await value('device.status', {})).toMatchObject({ state: 'ready' });
  });
});

describe('lost key file: recovery', () => {
  it('keeps the unreadable database aside, re-enrols online and re-syncs; nothing is deleted', async () => {
    const dataDir = tempDataDir('recovery');
    let core = await open(dataDir);
    const token = await signIn(medic.userId, medic.pin);
    await value('sync.run', {}, token);
    await core.close();
    const before = sha(path.join(dataDir, 'onscene.sqlite'));
    fs.rmSync(path.join(dataDir, 'keys.json')); // the key is lost (OS reset, keyring gone)

    core = await open(dataDir);
    expect(await value('device.status', {})).toMatchObject({ state: 'needs-recovery', keptFiles: 0 });
    expect(await call('session.signIn', { userId: medic.userId, pin: medic.pin })).toMatchObject({ ok: false, error: { code: 'online-sign-in-required' } });

    const signedIn = await signInOnline(current, medic, medic.pin);
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    const fresh = signedIn.value.sessionToken;
    const status = await value('device.status', {});
    expect(status.state).toBe('ready');
    expect(status.keptFiles).toBeGreaterThanOrEqual(2); // the database and the README at least
    const kept = filesIn(path.join(dataDir, RECOVERY_DIR));
    expect(kept.map((f) => sha(f))).toContain(before);
    expect((await value('sync.run', {}, fresh)).lastFailure).toBeNull();
    expect((await value('incidents.list', {}, fresh)).incidents.length).toBeGreaterThan(0);
    // Colleagues enrolled on the old key must sign in online once to enrol on the new one.
    expect(await call('session.signIn', { userId: colleague.userId, pin: colleague.pin })).toMatchObject({ ok: false, error: { code: 'online-sign-in-required' } });
    expect((await signInOnline(current, colleague, colleague.pin)).ok).toBe(true);
  });
});
