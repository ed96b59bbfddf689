import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type KeyStoreVerdict, describeKeyFileProtection, openWebKeyStore } from './keyFileProtection';
import { openKeyVault } from './keyVault';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-protection-'));
const reason = 'no usable Secret Service in this session (secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY)';
const none: KeyStoreVerdict = { isAvailable: false, reason };

describe('key file protection in the web shell (issue #10 item 6)', () => {
  it('does not pretend to seal on Windows or macOS, and says why', () => {
    for (const platform of ['win32', 'darwin', 'freebsd'] as const) {
      const verdict = openWebKeyStore({ platform, runSecretTool: () => ({ status: 0, stdout: '', stderr: '' }) });
      expect(verdict.isAvailable).toBe(false);
      if (!verdict.isAvailable) expect(verdict.reason).toMatch(/native module|no supported OS key store/);
    }
  });

  it('on Linux, takes a store only when a stored probe reads back', () => {
    const items = new Map<string, string>();
    const fakeStore = (args: readonly string[], input: string) => {
      const attrs = args.filter((a) => !a.startsWith('--')).slice(1).join(' ');
      if (args[0] === 'store') items.set(attrs, input);
      if (args[0] === 'lookup') return items.has(attrs) ? { status: 0, stdout: items.get(attrs) as string, stderr: '' } : { status: 1, stdout: '', stderr: '' };
      if (args[0] === 'clear') items.delete(attrs);
      return { status: 0, stdout: '', stderr: '' };
    };
    expect(openWebKeyStore({ platform: 'linux', runSecretTool: fakeStore })).toMatchObject({ isAvailable: true, kind: 'secret-service:secret-tool' });
    expect(items.size).toBe(0); // the probe cleans up after itself
    const forgetful = (args: readonly string[]) => (args[0] === 'lookup' ? { status: 1, stdout: '', stderr: 'secret-tool: Object does not exist at path “/org/freedesktop/secrets/collection/login”\n' } : { status: 0, stdout: '', stderr: '' });
    expect(openWebKeyStore({ platform: 'linux', runSecretTool: forgetful })).toEqual({
      isAvailable: false,
      reason: 'no usable Secret Service in this session (secret-tool: Object does not exist at path “/org/freedesktop/secrets/collection/login”)',
    });
  });

  it('describes each state of the key file in words', async () => {
    const dir = tempDir();
    expect(describeKeyFileProtection(dir, none)).toEqual({ state: 'no-key-file', summary: `No key file yet; it will not be sealed: ${reason}.` });
    await openKeyVault(dir).enrol([{ userId: 'a', pin: '123456' }]);
    const unsealed = describeKeyFileProtection(dir, none);
    expect(unsealed).toMatchObject({ state: 'unsealed', reason });
    expect(unsealed.summary).toContain('the weakest enrolled PIN opens the data key');
    fs.writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ version: 2, sealedBy: 'electron-safeStorage:gnome_libsecret', sealed: 'AAAA' }));
    expect(describeKeyFileProtection(dir, none)).toMatchObject({ state: 'sealed', sealedBy: 'electron-safeStorage:gnome_libsecret' });
    fs.writeFileSync(path.join(dir, 'keys.json'), '{"version":');
    expect(describeKeyFileProtection(dir, none).state).toBe('damaged');
  });
});
