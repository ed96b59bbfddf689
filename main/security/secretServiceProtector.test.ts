import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKeyFileProtection, openWebKeyStore } from './keyFileProtection';
import { openKeyVault } from './keyVault';
import { SECRET_SERVICE_KIND, createSecretServiceProtector, probeSecretService, secretToolCommand } from './secretServiceProtector';

/**
 * Against a real Secret Service: a private D-Bus session bus with its own gnome-keyring-daemon,
 * unlocked with a test password, in a temporary HOME (never the user's keyring). Needs the Debian
 * packages libsecret-tools, gnome-keyring and dbus; skipped, saying so, where they are missing.
 */
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const missing = ['secret-tool', 'gnome-keyring-daemon', 'dbus-daemon'].filter((c) => !has(c));
if (missing.length > 0) console.warn(`secretServiceProtector.test.ts skipped: ${missing.join(', ')} not installed (apt-get install libsecret-tools gnome-keyring dbus)`);

// No <servicedir>: nothing is auto-started, so the only Secret Service on this bus is ours.
const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`;

type Keyring = { env: NodeJS.ProcessEnv; home: string; children: ChildProcess[] };

async function startPrivateKeyring(): Promise<Keyring> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-keyring-'));
  const runtime = path.join(home, 'run');
  fs.mkdirSync(runtime, { mode: 0o700 });
  fs.writeFileSync(path.join(home, 'bus.conf'), BUS_CONFIG);
  const bus = spawn('dbus-daemon', [`--config-file=${path.join(home, 'bus.conf')}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    bus.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
    bus.on('exit', () => reject(new Error('dbus-daemon exited')));
  });
  const env = { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: path.join(home, 'data'), DBUS_SESSION_BUS_ADDRESS: address };
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
  keyring.stdin?.end('test-keyring-password'); // --unlock reads the login keyring's password from stdin
  const started = { env, home, children: [bus, keyring] };
  for (let i = 0; i < 100; i += 1) {
    if (probeSecretService(secretToolCommand(env)).ok) return started;
    await new Promise((r) => setTimeout(r, 100));
  }
  stopPrivateKeyring(started);
  throw new Error('the private gnome-keyring-daemon did not come up');
}

function stopPrivateKeyring(keyring: Keyring) {
  for (const child of keyring.children) if (child.exitCode === null) child.kill('SIGTERM'); // only the two we started
  fs.rmSync(keyring.home, { recursive: true, force: true });
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-sealed-'));
const readKeyFile = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8'));

describe('Secret Service key-file seal, failing honestly', () => {
  it('says secret-tool is missing when it is', () => {
    const run = secretToolCommand({ PATH: '/nonexistent' });
    expect(probeSecretService(run)).toEqual({ ok: false, reason: 'secret-tool is not installed (package libsecret-tools)' });
  });
  it.skipIf(!has('secret-tool'))('says there is no session bus on a headless machine, and does not seal', () => {
    const verdict = openWebKeyStore({ platform: 'linux', runSecretTool: secretToolCommand({ PATH: process.env.PATH, HOME: os.tmpdir() }) });
    expect(verdict.isAvailable).toBe(false);
    if (!verdict.isAvailable) expect(verdict.reason).toMatch(/^no usable Secret Service in this session \(secret-tool: .*D-Bus/);
  });
});

describe.skipIf(missing.length > 0)('Secret Service key-file seal, against a real gnome-keyring (issue #10 item 6)', () => {
  let keyring: Keyring;
  beforeAll(async () => {
    keyring = await startPrivateKeyring();
  });
  afterAll(() => {
    if (keyring) stopPrivateKeyring(keyring);
  });
  const run = () => secretToolCommand(keyring.env);
  const isInStore = (keyId: string) => spawnSync('secret-tool', ['lookup', 'onscene-key-file', keyId], { env: keyring.env }).status === 0;

  it('finds the store, seals the key file with it, and a new process opens it from the store', async () => {
    const verdict = openWebKeyStore({ platform: 'linux', runSecretTool: run() });
    expect(verdict).toMatchObject({ isAvailable: true, kind: SECRET_SERVICE_KIND });
    if (!verdict.isAvailable) return;
    const dir = tempDir();
    await openKeyVault(dir, verdict.protector).enrol([{ userId: 'a', pin: '246810' }]);
    const raw = fs.readFileSync(path.join(dir, 'keys.json'), 'utf8');
    expect(JSON.parse(raw)).toMatchObject({ version: 2, sealedBy: SECRET_SERVICE_KIND });
    expect(raw).not.toContain('argon2id');
    expect(describeKeyFileProtection(dir, verdict)).toMatchObject({ state: 'sealed', sealedBy: SECRET_SERVICE_KIND });
    const key = await openKeyVault(dir, createSecretServiceProtector(run())).unlock('a', '246810'); // no cached key: read from the store
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(openKeyVault(dir).status()).toBe('unreadable'); // the file copied to where this keyring is not
  });

  it('seals a web shell key file that was written unsealed at the next right PIN, not at a wrong one', async () => {
    const dir = tempDir();
    await openKeyVault(dir).enrol([{ userId: 'a', pin: '135790' }]);
    const protector = createSecretServiceProtector(run());
    const vault = openKeyVault(dir, protector);
    expect(describeKeyFileProtection(dir, { isAvailable: true, kind: protector.kind, protector })).toMatchObject({ state: 'unsealed', reason: `${SECRET_SERVICE_KIND} seals it at the next successful sign-in` });
    expect(await vault.unlock('a', '000000')).toBeNull();
    expect(readKeyFile(dir).sealedBy).toBeUndefined();
    const key = await vault.unlock('a', '135790');
    expect(readKeyFile(dir).sealedBy).toBe(SECRET_SERVICE_KIND);
    expect(await openKeyVault(dir, createSecretServiceProtector(run())).unlock('a', '135790')).toBe(key);
  });

  it('a reset keyring makes the file unreadable (the recovery path), never silently empty', async () => {
    const dir = tempDir();
    await openKeyVault(dir, createSecretServiceProtector(run())).enrol([{ userId: 'a', pin: '975310' }]);
    const keyId = Buffer.from(readKeyFile(dir).sealed as string, 'base64').subarray(0, 16).toString('hex');
    expect(isInStore(keyId)).toBe(true);
    spawnSync('secret-tool', ['clear', 'onscene-key-file', keyId], { env: keyring.env });
    expect(isInStore(keyId)).toBe(false);
    const vault = openKeyVault(dir, createSecretServiceProtector(run()));
    expect(vault.status()).toBe('unreadable');
    await expect(vault.unlock('a', '975310')).rejects.toMatchObject({ code: 'wrong-key' });
  });

  it('crypto-shred also drops the key from the store, so a copy of the sealed file left behind stays shut', async () => {
    const dir = tempDir();
    const protector = createSecretServiceProtector(run());
    const vault = openKeyVault(dir, protector);
    await vault.enrol([{ userId: 'a', pin: '864200' }]);
    const copy = tempDir();
    fs.copyFileSync(path.join(dir, 'keys.json'), path.join(copy, 'keys.json')); // what an SSD may keep
    expect(openKeyVault(copy, createSecretServiceProtector(run())).status()).toBe('ready');
    const keyId = Buffer.from(readKeyFile(dir).sealed as string, 'base64').subarray(0, 16).toString('hex');
    vault.shred();
    expect(fs.existsSync(path.join(dir, 'keys.json'))).toBe(false);
    expect(isInStore(keyId)).toBe(false);
    expect(openKeyVault(copy, createSecretServiceProtector(run())).status()).toBe('unreadable');
    // After a shred the same protector seals a new key file under a new store key.
    await vault.enrol([{ userId: 'b', pin: '112233' }]);
    expect(await openKeyVault(dir, createSecretServiceProtector(run())).unlock('b', '112233')).toMatch(/^[0-9a-f]{64}$/);
  });
});
