/**
 * Whether Electron's safeStorage may protect our key file (issue #4, LESSONS "Sessions and
 * devices"). On Linux without a secret service, Chromium silently falls back to `basic_text`: a
 * hard-coded password, i.e. no protection at all. We refuse it rather than pretend.
 * Pure, so it is tested in plain Node (Electron cannot run here).
 * Backends: https://www.electronjs.org/docs/latest/api/safe-storage#safestoragegetselectedstoragebackend-linux
 */
export type SafeStorageFacts = Readonly<{
  platform: NodeJS.Platform;
  isEncryptionAvailable: boolean;
  /** `safeStorage.getSelectedStorageBackend()` on Linux; null elsewhere. */
  linuxBackend: string | null;
}>;

export type SafeStorageVerdict = Readonly<{ ok: true; kind: string }> | Readonly<{ ok: false; message: string }>;

const TRUSTED_LINUX_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export const BASIC_TEXT_MESSAGE =
  'OnScene cannot protect its encryption key on this computer: no system key store (GNOME Keyring or KWallet) is running, ' +
  'so Electron would fall back to a fixed, publicly known password. Start a key store, or ask IT to set one up, then open OnScene again.';

export function judgeSafeStorage(facts: SafeStorageFacts): SafeStorageVerdict {
  if (!facts.isEncryptionAvailable) {
    return { ok: false, message: 'OnScene cannot protect its encryption key: the system key store is not available. Ask IT to check this computer.' };
  }
  if (facts.platform === 'linux') {
    if (!facts.linuxBackend || !TRUSTED_LINUX_BACKENDS.has(facts.linuxBackend)) return { ok: false, message: BASIC_TEXT_MESSAGE };
    return { ok: true, kind: `electron-safeStorage:${facts.linuxBackend}` };
  }
  return { ok: true, kind: `electron-safeStorage:${facts.platform}` };
}
