import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** Stands in for the OS key store (Electron safeStorage cannot run here): AES-GCM under a key only it holds. */
function osKeyStore(): KeyProtector & { forget(): void } {
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
    forget() {
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
    expect(file.users.a.kdf).toEqual({ alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
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
    store.forget();
    expect(vault.status()).toBe('unreadable');
    await expect(vault.unlock('a', '1111')).rejects.toMatchObject({ code: 'wrong-key' });
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
