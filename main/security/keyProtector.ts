/**
 * A second lock on the key file from the operating system's key store (DESIGN §3): in Electron,
 * `safeStorage` (DPAPI on Windows, the Secret Service/KWallet on Linux); in the web shell on Linux,
 * the Secret Service through `secret-tool` where a session has one (secretServiceProtector.ts,
 * keyFileProtection.ts says when it has none and why). Implementations live with their shell or
 * beside this port; this is the port the key vault sees.
 */
export type KeyProtector = Readonly<{
  /** Names the backend in the key file, e.g. "electron-safeStorage:gnome_libsecret". */
  kind: string;
  seal(plain: Buffer): Buffer;
  /** Throws when the OS store cannot open it (a reset keyring): the vault then reports "unreadable". */
  unseal(sealed: Buffer): Buffer;
  /**
   * Optional, for crypto-shred: drops the OS-held secret that `sealed` needs, so a copy of the file
   * left on the disk cannot be unsealed either. Best effort; absent where the store keeps one
   * secret for the whole app (safeStorage).
   */
  forget?(sealed: Buffer): void;
}>;
