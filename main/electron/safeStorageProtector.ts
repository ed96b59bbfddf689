import { safeStorage } from 'electron';
import type { KeyProtector } from '../security/keyProtector';
import { type SafeStorageVerdict, judgeSafeStorage } from './safeStoragePolicy';

/**
 * The key file's OS-level lock in Electron. Call after `app.whenReady()` (safeStorage needs it).
 * Returns the verdict when the backend is refused, so main.ts can show the message and stop.
 */
export function createSafeStorageProtector(): KeyProtector | Extract<SafeStorageVerdict, { ok: false }> {
  const verdict = judgeSafeStorage({
    platform: process.platform,
    isEncryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  });
  if (!verdict.ok) return verdict;
  return {
    kind: verdict.kind,
    // safeStorage works on strings; base64 keeps the bytes exact.
    seal: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unseal: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
