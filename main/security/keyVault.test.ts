import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
