/**
 * A second lock on the key file from the operating system's key store (DESIGN §3): in Electron,
 * `safeStorage` (DPAPI on Windows, the Secret Service/KWallet on Linux). The web shell has none
 * and relies on the per-user PIN wraps alone. Implementations live with their shell
 * (main/electron/safeStorageProtector.ts); this is the port the key vault sees.
 */
export type KeyProtector = Readonly<{
  /** Names the backend in the key file, e.g. "electron-safeStorage:gnome_libsecret". */
  kind: string;
  seal(plain: Buffer): Buffer;
  /** Throws when the OS store cannot open it (a reset keyring): the vault then reports "unreadable". */
  unseal(sealed: Buffer): Buffer;
}>;
