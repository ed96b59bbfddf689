import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyProtector } from './keyProtector';

/**
 * The web shell's key-file seal on Linux (issue #10 item 6): the freedesktop Secret Service
 * (GNOME Keyring, KWallet ≥ 5.97, KeePassXC) through libsecret's `secret-tool` command
 * (Debian/Ubuntu package libsecret-tools), so plain Node needs no native module.
 *
 * The same shape as Chromium's safeStorage on Linux: the store keeps a random 256-bit key, the file
 * is sealed here with AES-256-GCM under it. Each sealed blob starts with the id of its key (one
 * store item per key file, attributes `application=onscene`, `onscene-key-file=<id>`), so a data
 * directory can move and several can coexist. The secret crosses to `secret-tool` on stdin and
 * back on stdout, never in argv (argv is visible to other users in `ps`).
 *
 * Limits, as with safeStorage: anyone who can run code as this OS user while the keyring is
 * unlocked can ask for the key; the seal protects a copied or stolen disk, not a live session. A
 * reset keyring makes the file unreadable: the vault's recovery path (README "Recovery").
 */
export const SECRET_SERVICE_KIND = 'secret-service:secret-tool';

export type CommandResult = Readonly<{ status: number | null; stdout: string; stderr: string; error?: Error }>;
/** Runs `secret-tool` with these arguments and this standard input. A port, so tests can point it at a private keyring. */
export type RunSecretTool = (args: readonly string[], input: string) => CommandResult;

/** The real command, with the session's environment (DBUS_SESSION_BUS_ADDRESS finds the store). */
export function secretToolCommand(env: NodeJS.ProcessEnv = process.env, timeoutMs = 15_000): RunSecretTool {
  return (args, input) => {
    // A locked keyring may show an unlock prompt: the timeout bounds the wait if nobody answers.
    const result = spawnSync('secret-tool', [...args], { input, env, encoding: 'utf8', timeout: timeoutMs });
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', ...(result.error ? { error: result.error } : {}) };
  };
}

const LABEL = 'OnScene key file seal';
const ID_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const attributes = (keyIdHex: string) => ['application', 'onscene', 'onscene-key-file', keyIdHex];
const aadFor = (keyIdHex: string) => Buffer.from(`onscene-key-file-seal:v1:${keyIdHex}`, 'utf8');

/** Why a `secret-tool` call failed, in one line without the secret (stderr never holds it). */
export function describeFailure(result: CommandResult): string {
  if (result.error) return (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'secret-tool is not installed (package libsecret-tools)' : result.error.message;
  const said = result.stderr.trim().split('\n').filter(Boolean).at(-1);
  return said ? `secret-tool: ${said.replace(/^secret-tool:\s*/, '')}` : `secret-tool exited with status ${result.status}`;
}

/** Stores, reads back and clears a throwaway item: proves there is a Secret Service and it is unlocked. */
export function probeSecretService(run: RunSecretTool): { ok: true } | { ok: false; reason: string } {
  const probeId = `probe-${randomBytes(8).toString('hex')}`;
  const value = randomBytes(16).toString('base64');
  const stored = run(['store', `--label=${LABEL} (probe)`, ...attributes(probeId)], value);
  if (stored.status !== 0 || stored.error) return { ok: false, reason: describeFailure(stored) };
  const found = run(['lookup', ...attributes(probeId)], '');
  run(['clear', ...attributes(probeId)], '');
  if (found.status !== 0 || found.error) return { ok: false, reason: describeFailure(found) };
  if (found.stdout.trim() !== value) return { ok: false, reason: 'the Secret Service did not return what was stored' };
  return { ok: true };
}

/** A KeyProtector backed by the Secret Service. Probe first (probeSecretService / keyFileProtection.ts). */
export function createSecretServiceProtector(run: RunSecretTool): KeyProtector {
  const keys = new Map<string, Buffer>(); // like safeStorage, the process keeps the key once read
  let current: string | null = null; // the key of the file last read or written, reused for the next write

  const lookup = (keyIdHex: string): Buffer | null => {
    const result = run(['lookup', ...attributes(keyIdHex)], '');
    if (result.status !== 0 || result.error) return null;
    const key = Buffer.from(result.stdout.trim(), 'base64');
    return key.length === 32 ? key : null;
  };
  const keyFor = (keyIdHex: string): Buffer => {
    const known = keys.get(keyIdHex) ?? lookup(keyIdHex);
    if (!known) throw new Error('the Secret Service has no key for this key file (a reset keyring, another OS account, or another machine)');
    keys.set(keyIdHex, known);
    return known;
  };
  const newKey = (): string => {
    const keyIdHex = randomBytes(ID_BYTES).toString('hex');
    const key = randomBytes(32);
    const stored = run(['store', `--label=${LABEL}`, ...attributes(keyIdHex)], key.toString('base64'));
    if (stored.status !== 0 || stored.error) throw new Error(`the Secret Service would not store the key file's key: ${describeFailure(stored)}`);
    keys.set(keyIdHex, key);
    return keyIdHex;
  };

  return {
    kind: SECRET_SERVICE_KIND,
    seal(plain) {
      // Writes are rare (enrolment, migration): check the store still holds the key, or seal under a new one.
      if (current === null || !lookup(current)) current = newKey();
      const key = keyFor(current);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aadFor(current));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from(current, 'hex'), iv, cipher.getAuthTag(), body]);
    },
    unseal(sealed) {
      if (sealed.length < ID_BYTES + IV_BYTES + TAG_BYTES) throw new Error('sealed key file too short');
      const keyIdHex = sealed.subarray(0, ID_BYTES).toString('hex');
      const decipher = createDecipheriv('aes-256-gcm', keyFor(keyIdHex), sealed.subarray(ID_BYTES, ID_BYTES + IV_BYTES));
      decipher.setAAD(aadFor(keyIdHex));
      decipher.setAuthTag(sealed.subarray(ID_BYTES + IV_BYTES, ID_BYTES + IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(sealed.subarray(ID_BYTES + IV_BYTES + TAG_BYTES)), decipher.final()]);
      current = keyIdHex;
      return plain;
    },
    forget(sealed) {
      if (sealed.length < ID_BYTES) return;
      const keyIdHex = sealed.subarray(0, ID_BYTES).toString('hex');
      run(['clear', ...attributes(keyIdHex)], '');
      keys.delete(keyIdHex);
      if (current === keyIdHex) current = null;
    },
  };
}
