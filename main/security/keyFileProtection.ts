import fs from 'node:fs';
import path from 'node:path';
import type { KeyProtector } from './keyProtector';
import { KEY_FILE } from './keyVault';
import { type RunSecretTool, SECRET_SERVICE_KIND, createSecretServiceProtector, probeSecretService, secretToolCommand } from './secretServiceProtector';

/**
 * Which OS key store seals keys.json in the web shell, and why none does when none does (issue #10
 * item 6). Electron seals with safeStorage and refuses to start without it; the web shell is plain
 * Node, so it seals only where a key store is reachable without a native module:
 *
 * - Linux: the Secret Service through `secret-tool` (secretServiceProtector.ts), when the session
 *   has one and it is unlocked (a desktop login; not a headless box, SSH without a session bus, CI).
 * - Windows (DPAPI) and macOS (Keychain): plain Node has no API for them. PowerShell's
 *   ProtectedData and the `security` command could reach them, but neither is built or tested
 *   here, so the web shell says "unsealed" and why rather than pretend; Electron seals there.
 */
export type KeyStoreVerdict = Readonly<{ isAvailable: true; kind: string; protector: KeyProtector }> | Readonly<{ isAvailable: false; reason: string }>;

export type KeyStoreOptions = Readonly<{ platform?: NodeJS.Platform; runSecretTool?: RunSecretTool }>;

/** Opens the web shell's key store, or says why there is none. On Linux this stores, reads and clears one probe item. */
export function openWebKeyStore(options: KeyStoreOptions = {}): KeyStoreVerdict {
  const platform = options.platform ?? process.platform;
  if (platform === 'linux') {
    const run = options.runSecretTool ?? secretToolCommand();
    const probe = probeSecretService(run);
    if (!probe.ok) return { isAvailable: false, reason: `no usable Secret Service in this session (${probe.reason})` };
    return { isAvailable: true, kind: SECRET_SERVICE_KIND, protector: createSecretServiceProtector(run) };
  }
  if (platform === 'win32') {
    return { isAvailable: false, reason: 'Windows DPAPI is not reachable from plain Node without a native module; the Electron shell seals the key file with it' };
  }
  if (platform === 'darwin') {
    return { isAvailable: false, reason: 'the macOS Keychain is not reachable from plain Node without a native module; the Electron shell seals the key file with it' };
  }
  return { isAvailable: false, reason: `no supported OS key store on ${platform}` };
}

export type KeyFileProtection = Readonly<
  | { state: 'sealed'; sealedBy: string; summary: string }
  | { state: 'unsealed'; reason: string; summary: string }
  | { state: 'no-key-file'; summary: string }
  | { state: 'damaged'; summary: string }
>;

/** What protects `dataDir`'s key file beyond the PIN wraps, in words for the README and device status. */
export function describeKeyFileProtection(dataDir: string, keyStore: KeyStoreVerdict): KeyFileProtection {
  const file = path.join(dataDir, KEY_FILE);
  const next = keyStore.isAvailable ? `it will be sealed by ${keyStore.kind}` : `it will not be sealed: ${keyStore.reason}`;
  if (!fs.existsSync(file)) return { state: 'no-key-file', summary: `No key file yet; ${next}.` };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { state: 'damaged', summary: 'The key file cannot be read.' };
  }
  const body = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (typeof body.sealedBy === 'string' && typeof body.sealed === 'string') {
    return { state: 'sealed', sealedBy: body.sealedBy, summary: `The key file is sealed by ${body.sealedBy}: a copy is useless without this OS account's key store.` };
  }
  if (body.version !== 1 && body.version !== 2) return { state: 'damaged', summary: 'The key file cannot be read.' };
  const reason = keyStore.isAvailable ? `${keyStore.kind} seals it at the next successful sign-in` : keyStore.reason;
  return {
    state: 'unsealed',
    reason,
    summary: `The key file is not sealed (${reason}): a copy can be attacked offline, and the weakest enrolled PIN opens the data key.`,
  };
}
