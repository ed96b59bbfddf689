import { describe, expect, it } from 'vitest';
import { BASIC_TEXT_MESSAGE, judgeSafeStorage } from './safeStoragePolicy';

describe('safeStorage policy', () => {
  it.each(['basic_text', 'unknown', '', null])('refuses the Linux backend %s with a clear message', (backend) => {
    expect(judgeSafeStorage({ platform: 'linux', isEncryptionAvailable: true, linuxBackend: backend })).toEqual({ ok: false, message: BASIC_TEXT_MESSAGE });
  });
  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])('accepts the Linux key store %s', (backend) => {
    expect(judgeSafeStorage({ platform: 'linux', isEncryptionAvailable: true, linuxBackend: backend })).toEqual({ ok: true, kind: `electron-safeStorage:${backend}` });
  });
  it('accepts DPAPI and the macOS keychain, and refuses any platform without encryption', () => {
    expect(judgeSafeStorage({ platform: 'win32', isEncryptionAvailable: true, linuxBackend: null }).ok).toBe(true);
    expect(judgeSafeStorage({ platform: 'darwin', isEncryptionAvailable: true, linuxBackend: null }).ok).toBe(true);
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      expect(judgeSafeStorage({ platform, isEncryptionAvailable: false, linuxBackend: 'gnome_libsecret' }).ok).toBe(false);
    }
  });
});
