import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditFact } from '../core/auditEvent';
import { openConnectionUpgradingCipher } from './cipherUpgrade';
import { openLocalStore } from './localStore';
import { LATEST_SCHEMA_VERSION, NewerDatabaseError, readSchemaVersion } from './migrations/index';
import { openConnection } from './storage/connection';

// Real files made with 'chacha20' (the cipher SQLite3MultipleCiphers defaults to), reopened by
// a build whose cipher is 'aegis'.
const here = path.dirname(fileURLToPath(import.meta.url));
const KEY = '3'.repeat(64);
let dir: string;
const file = () => path.join(dir, 'onscene.sqlite');
const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');
const snapshot = () => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, sha(path.join(dir, f))]));

const fact = (n: number): AuditFact => ({
  action: 'record.open', recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), userId: 'demo-paramedic-1',
  practitionerId: null, role: 'paramedic', deviceId: 'test', appVersion: '0.1.0', patientId: `pat-${n}`, purpose: 'incident task-1',
  outcome: 'success', isOffline: false, lastServerTimeAt: null,
});
const resource = (i: number) => ({
  key: `Observation/obs-${i}`, resourceType: 'Observation', resourceId: `obs-${i}`, patientId: `pat-${i % 50}`,
  lastUpdated: '2026-01-01T00:00:00.000Z', syncedAt: '2026-01-01T00:00:00.000Z',
  resource: { resourceType: 'Observation', id: `obs-${i}`, note: [{ text: `synthetic note ${i} `.repeat(40) }] },
});

/** A whole store (RxDB documents and audit chain) written under chacha20. */
async function makeLegacyStore(documents: number): Promise<void> {
  const store = await openLocalStore({ directory: dir, key: KEY, cipher: 'chacha20' });
  await store.resources.bulkInsert(Array.from({ length: documents }, (_, i) => resource(i)));
  store.audit.appendMany([fact(1), fact(2), fact(3)]);
  await store.close();
}

async function expectStoreIntact(documents: number): Promise<void> {
  const store = await openLocalStore({ directory: dir, key: KEY });
  try {
    expect(await store.resources.count().exec()).toBe(documents);
    expect((await store.resources.findOne('Observation/obs-7').exec())?.toJSON().resource).toEqual(resource(7).resource);
    expect(store.audit.verify()).toMatchObject({ ok: true, count: 3 });
  } finally {
    await store.close();
  }
}

function runChild(thresholdBytes: number): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'cipherUpgradeChild.fixture.ts'), dir, KEY, String(thresholdBytes)], {
      cwd: path.resolve(here, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => resolve({ signal, stdout }));
  });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-cipher-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('cipher upgrade on open', () => {
  it('re-encrypts a chacha20 store to aegis in place, keeping documents, chain and format', async () => {
    await makeLegacyStore(20);
    const store = await openLocalStore({ directory: dir, key: KEY, legacyCiphers: ['sqlcipher', 'chacha20'] });
    store.audit.append(fact(4));
    await store.close();

    expect(() => openConnection({ directory: dir, key: KEY, cipher: 'chacha20' }, 'onscene')).toThrow(expect.objectContaining({ code: 'wrong-key' }));
    const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(fs.existsSync(`${file()}-journal`)).toBe(false);
    const reopened = await openLocalStore({ directory: dir, key: KEY }); // no legacy ciphers needed any more
    expect(await reopened.resources.count().exec()).toBe(20);
    expect(reopened.audit.verify()).toMatchObject({ ok: true, count: 4 });
    await reopened.close();
  });

  it('refuses, as wrong-key and without writing, a legacy file it is not told about or a wrong key', async () => {
    await makeLegacyStore(5);
    const before = snapshot();
    await expect(openLocalStore({ directory: dir, key: KEY })).rejects.toMatchObject({ code: 'wrong-key' });
    await expect(openLocalStore({ directory: dir, key: '4'.repeat(64), legacyCiphers: ['chacha20'] })).rejects.toMatchObject({ code: 'wrong-key' });
    expect(snapshot()).toEqual(before);
  });

  it('leaves alone a legacy file from a newer build, or one another connection has open', async () => {
    await makeLegacyStore(5);
    const other = openConnection({ directory: dir, key: KEY, cipher: 'chacha20' }, 'onscene').db;
    try {
      expect(() => openConnectionUpgradingCipher({ directory: dir, key: KEY }, 'onscene', ['chacha20'])).toThrow(/open elsewhere|locked/);
      other.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    } finally {
      other.close();
    }
    const before = snapshot();
    expect(() => openConnectionUpgradingCipher({ directory: dir, key: KEY }, 'onscene', ['chacha20'])).toThrow(NewerDatabaseError);
    expect(snapshot()).toEqual(before);
  });

  it('takes part only with ciphers that authenticate their pages', () => {
    openConnection({ directory: dir, key: KEY, cipher: 'aes256cbc' }, 'onscene').db.close();
    expect(() => openConnectionUpgradingCipher({ directory: dir, key: KEY }, 'onscene', ['aes256cbc'])).toThrow(/authenticated ciphers/);
  });

  it('reports which cipher it upgraded from, and nothing for a current file', () => {
    openConnection({ directory: dir, key: KEY, cipher: 'chacha20' }, 'onscene').db.close();
    const first = openConnectionUpgradingCipher({ directory: dir, key: KEY }, 'onscene', ['chacha20']);
    first.connection.db.close();
    const second = openConnectionUpgradingCipher({ directory: dir, key: KEY }, 'onscene', ['chacha20']);
    second.connection.db.close();
    expect([first.upgradedFrom, second.upgradedFrom]).toEqual(['chacha20', null]);
  });
});

describe('a crash in the middle of the re-encryption', () => {
  const DOCUMENTS = 1500;

  it.each([
    { when: 'just after it starts', threshold: () => 16 * 1024, isFileRewritten: false },
    { when: 'half-way through the file', threshold: () => Math.floor(fs.statSync(file()).size / 2), isFileRewritten: true },
  ])('$when leaves a file that opens and finishes the upgrade', async ({ threshold, isFileRewritten }) => {
    await makeLegacyStore(DOCUMENTS);
    const original = sha(file());
    const result = await runChild(threshold());
    expect(result).toEqual({ signal: 'SIGKILL', stdout: '' });
    expect(fs.existsSync(`${file()}-journal`)).toBe(true); // killed inside rekey's transaction
    const crashed = snapshot();
    // Half-way, the file already holds pages under the new cipher beside pages under the old.
    if (isFileRewritten) expect(sha(file())).not.toBe(original);

    // The current cipher cannot read the old-cipher journal and must not touch the file...
    expect(() => openConnection({ directory: dir, key: KEY }, 'onscene')).toThrow(expect.objectContaining({ code: 'wrong-key' }));
    expect(snapshot()).toEqual(crashed);
    // ...the legacy cipher rolls the journal back, and the upgrade runs again to the end.
    const upgraded = openConnectionUpgradingCipher({ directory: dir, key: KEY }, 'onscene', ['chacha20']);
    expect(upgraded.upgradedFrom).toBe('chacha20');
    expect(upgraded.connection.db.pragma('integrity_check', { simple: true })).toBe('ok');
    upgraded.connection.db.close();
    await expectStoreIntact(DOCUMENTS);
  });
});
