import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { argon2id } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import type { KeyProtector } from './keyProtector';
import { openKeyVault } from './keyVault';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-vault-'));

describe('key vault', () => {
  it('gives every enrolled user the same data key, and nobody else anything', async () => {
    const dir = tempDir();
    const vault = openKeyVault(dir);
    await vault.enrol([{ userId: 'a', pin: '1111' }, { userId: 'b', pin: '2222' }]);
    const keyA = await vault.unlock('a', '1111');
    expect(keyA).toMatch(/^[0-9a-f]{64}$/);
    expect(await vault.unlock('b', '2222')).toBe(keyA);
    expect(await vault.unlock('a', '2222')).toBeNull();
    expect(await vault.unlock('nobody', '1111')).toBeNull();
  });
  it('keeps neither the PIN nor the data key in the key file', async () => {
    const dir = tempDir();
    const vault = openKeyVault(dir);
    await vault.enrol([{ userId: 'a', pin: '98765' }]);
    const key = (await vault.unlock('a', '98765')) as string;
    const file = fs.readFileSync(path.join(dir, 'keys.json'), 'utf8');
    expect(file).not.toContain('98765');
    expect(file).not.toContain(key);
    expect(file).not.toContain(Buffer.from(key, 'hex').toString('base64'));
  });
  it('refuses to enrol a second cohort without an unlocked key, so a stranger cannot replace the key', async () => {
    const dir = tempDir();
    const vault = openKeyVault(dir);
    await vault.enrol([{ userId: 'a', pin: '1111' }]);
    await expect(vault.enrol([{ userId: 'x', pin: '0000' }])).rejects.toMatchObject({ code: 'forbidden' });
  });
});

// --- issue #4: argon2id wraps, migration of skeleton (scrypt) files, sealing, shredding ---

/** A key file exactly as the skeleton wrote it (version 1, scrypt N=2^15), made independently of keyVault.ts. */
function writeLegacyVault(dir: string, userId: string, pin: string, dataKey: Buffer) {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = scryptSync(pin, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  const entry = { salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), wrapped: wrapped.toString('base64') };
  fs.writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ version: 1, users: { [userId]: entry } }));
}

/** Issue #4's argon2id parameters, before issue #10 item 6 raised them. */
const EARLIER_ARGON2ID = { alg: 'argon2id', memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 } as const;

/** A version-2 key file wrapped with EARLIER_ARGON2ID, made with hash-wasm directly, not keyVault.ts. */
async function writeEarlierArgon2idVault(dir: string, users: readonly { userId: string; pin: string }[], dataKey: Buffer) {
  const entries: Record<string, unknown> = {};
  for (const { userId, pin } of users) {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const kek = await argon2id({ password: pin, salt, memorySize: EARLIER_ARGON2ID.memoryKiB, iterations: EARLIER_ARGON2ID.iterations, parallelism: 1, hashLength: 32, outputType: 'binary' });
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(Buffer.from(`onscene-key-wrap:v2:${userId}`, 'utf8'));
    const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const b64 = (b: Buffer) => b.toString('base64');
    entries[userId] = { kdf: EARLIER_ARGON2ID, aad: true, salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), wrapped: b64(wrapped) };
  }
  fs.writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ version: 2, keyId: 'k1', users: entries }));
}

/** Stands in for the OS key store (Electron safeStorage cannot run here): AES-GCM under a key only it holds. */
function osKeyStore(): KeyProtector & { reset(): void } {
  let key = randomBytes(32);
  return {
    kind: 'test-keystore',
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    unseal(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
    },
    reset() {
      key = randomBytes(32); // a reset keyring
    },
  };
}

describe('key vault v2 (issue #4)', () => {
  it('writes argon2id wraps with their parameters', async () => {
    const dir = tempDir();
    await openKeyVault(dir).enrol([{ userId: 'a', pin: '1111' }]);
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));
    expect(file.version).toBe(2);
    expect(file.users.a.kdf).toEqual({ alg: 'argon2id', memoryKiB: 163840, iterations: 2, parallelism: 1 });
  });

  it('opens a skeleton scrypt key file and migrates the wrap to argon2id on the next right PIN', async () => {
    const dir = tempDir();
    const dataKey = randomBytes(32);
    writeLegacyVault(dir, 'a', '1111', dataKey);
    const vault = openKeyVault(dir);
    expect(await vault.unlock('a', '9999')).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')).version).toBe(1); // a wrong PIN changes nothing
    expect(await vault.unlock('a', '1111')).toBe(dataKey.toString('hex'));
    const migrated = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));
    expect(migrated.version).toBe(2);
    expect(migrated.users.a.kdf.alg).toBe('argon2id');
    expect(await openKeyVault(dir).unlock('a', '1111')).toBe(dataKey.toString('hex'));
  });

  it('opens a wrap made with the earlier argon2id parameters and re-makes it with the new ones on the next right PIN', async () => {
    const dir = tempDir();
    const dataKey = randomBytes(32);
    await writeEarlierArgon2idVault(dir, [{ userId: 'a', pin: '123456' }, { userId: 'b', pin: '654321' }], dataKey);
    const before = fs.readFileSync(path.join(dir, 'keys.json'), 'utf8');
    const vault = openKeyVault(dir);
    expect(await vault.unlock('a', '123457')).toBeNull();
    expect(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')).toBe(before); // a wrong PIN changes nothing
    expect(await vault.unlock('a', '123456')).toBe(dataKey.toString('hex'));
    const after = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));
    expect(after.users.a.kdf).toEqual({ alg: 'argon2id', memoryKiB: 163840, iterations: 2, parallelism: 1 });
    expect(after.users.a.salt).not.toBe(JSON.parse(before).users.a.salt); // a new wrap, not a relabelled one
    expect(after.users.b.kdf).toEqual(EARLIER_ARGON2ID); // b migrates at b's own next sign-in
    expect(after.keyId).toBe('k1');
    expect(await openKeyVault(dir).unlock('a', '123456')).toBe(dataKey.toString('hex'));
    expect(await openKeyVault(dir).unlock('b', '654321')).toBe(dataKey.toString('hex'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')).users.b.kdf.memoryKiB).toBe(163840);
  });

  it('a migration does not undo a change made to the file while it derived the new wrap', async () => {
    const dir = tempDir();
    const dataKey = randomBytes(32);
    await writeEarlierArgon2idVault(dir, [{ userId: 'a', pin: '123456' }, { userId: 'b', pin: '654321' }], dataKey);
    const vault = openKeyVault(dir);
    const unlocking = vault.unlock('a', '123456');
    vault.remove('b'); // runs while the unlock awaits its derivations
    expect(await unlocking).toBe(dataKey.toString('hex'));
    expect(vault.enrolledUserIds()).toEqual(['a']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')).users.a.kdf.memoryKiB).toBe(163840);
  });

  it('binds each wrap to its user: a wrap copied into another user slot does not open', async () => {
    const dir = tempDir();
    const vault = openKeyVault(dir);
    await vault.enrol([{ userId: 'a', pin: '1111' }, { userId: 'b', pin: '2222' }]);
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));
    file.users.b = file.users.a; // user a, who knows PIN 1111, tries to become b
    fs.writeFileSync(path.join(dir, 'keys.json'), JSON.stringify(file));
    expect(await vault.unlock('b', '1111')).toBeNull();
  });

  it('seals the whole key file with the OS key store; without it the file is unreadable, not silently empty', async () => {
    const dir = tempDir();
    const store = osKeyStore();
    const vault = openKeyVault(dir, store);
    await vault.enrol([{ userId: 'a', pin: '1111' }]);
    const raw = fs.readFileSync(path.join(dir, 'keys.json'), 'utf8');
    expect(JSON.parse(raw)).toMatchObject({ version: 2, sealedBy: 'test-keystore' });
    expect(raw).not.toContain('argon2id');
    expect(await vault.unlock('a', '1111')).toMatch(/^[0-9a-f]{64}$/);
    expect(openKeyVault(dir).status()).toBe('unreadable'); // copied to a machine without the key store
    store.reset();
    expect(vault.status()).toBe('unreadable');
    await expect(vault.unlock('a', '1111')).rejects.toMatchObject({ code: 'wrong-key' });
  });

  it('seals an unsealed key file at the next right PIN once a key store is there, and forgets the seal at shred', async () => {
    const dir = tempDir();
    await openKeyVault(dir).enrol([{ userId: 'a', pin: '123456' }]); // the web shell without a key store
    const forgotten: Buffer[] = [];
    const store = { ...osKeyStore(), forget: (sealed: Buffer) => void forgotten.push(sealed) };
    const vault = openKeyVault(dir, store);
    expect(await vault.unlock('a', '000000')).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')).sealedBy).toBeUndefined();
    const key = await vault.unlock('a', '123456');
    const sealed = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));
    expect(sealed).toMatchObject({ version: 2, sealedBy: 'test-keystore' });
    expect(await vault.unlock('a', '123456')).toBe(key);
    vault.shred();
    expect(forgotten.map((b) => b.toString('base64'))).toEqual([sealed.sealed]);
  });

  it('reports missing and damaged files, and shreds to nothing', async () => {
    const dir = tempDir();
    const vault = openKeyVault(dir);
    expect(vault.status()).toBe('missing');
    await vault.enrol([{ userId: 'a', pin: '1111' }]);
    expect(vault.status()).toBe('ready');
    vault.shred();
    expect(fs.existsSync(path.join(dir, 'keys.json'))).toBe(false);
    expect(await vault.unlock('a', '1111')).toBeNull();
    fs.writeFileSync(path.join(dir, 'keys.json'), '{"version":2,"keyId":');
    expect(vault.status()).toBe('unreadable');
  });

  it('rotates to a new data key for the rotating user; the others must re-enrol', async () => {
    const dir = tempDir();
    const vault = openKeyVault(dir);
    await vault.enrol([{ userId: 'a', pin: '1111' }, { userId: 'b', pin: '2222' }]);
    const next = randomBytes(32);
    await vault.replaceKey(next, { userId: 'a', pin: '1111' });
    expect(await vault.unlock('a', '1111')).toBe(next.toString('hex'));
    expect(vault.isEnrolled('b')).toBe(false);
  });
});
