import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cliArgs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('parseCliArgs', () => {
  it('applies defaults and parses numbers', () => {
    const plain = { mode: 'sandbox', identity: false, requireBearer: false };
    expect(parseCliArgs([])).toEqual({ isOk: true, args: { ...plain, patients: 200, seed: 1, port: 0 } });
    expect(parseCliArgs(['--patients', '10000', '--seed', '7', '--port', '8099'])).toEqual({ isOk: true, args: { ...plain, patients: 10000, seed: 7, port: 8099 } });
    expect(parseCliArgs(['--require-bearer'])).toMatchObject({ isOk: true, args: { identity: true, requireBearer: true } });
  });

  it('parses identity-only mode', () => {
    expect(parseCliArgs(['--identity-only', '--central', 'http://127.0.0.1:8090/fhir', '--port', '9000'])).toEqual({
      isOk: true,
      args: { mode: 'identity-only', central: 'http://127.0.0.1:8090/fhir', port: 9000 },
    });
  });

  it('parses seed-into mode (issue #17)', () => {
    expect(parseCliArgs(['--seed-into', 'http://127.0.0.1:8090/fhir', '--patients', '300'])).toEqual({
      isOk: true,
      args: { mode: 'seed-into', central: 'http://127.0.0.1:8090/fhir', patients: 300, seed: 1 },
    });
    expect(parseCliArgs(['--seed-into', 'ftp://x/fhir'])).toMatchObject({ isOk: false, message: expect.stringMatching(/--seed-into must be an http/) });
    expect(parseCliArgs(['--seed-into', 'http://x/fhir', '--port', '1'])).toMatchObject({ isOk: false, message: expect.stringMatching(/--port does not apply with --seed-into/) });
  });

  it.each([
    [['--patients', 'lots'], /--patients must be a whole number/],
    [['--patients', '2'], /--patients must be at least 4/],
    [['--port', '70000'], /--port must be at most 65535/],
    [['--seed', '-3'], /--seed/],
    [['--colour', 'red'], /Unknown option '--colour'/],
    [['extra'], /positional/],
    [['--identity-only'], /--identity-only needs --central/],
    [['--identity-only', '--central', 'ftp://x/fhir'], /--central must be an http/],
    [['--identity-only', '--central', 'http://x/fhir', '--patients', '10'], /--patients does not apply with --identity-only/],
    [['--central', 'http://x/fhir'], /--central only applies with --identity-only/],
  ])('rejects %j with a clear message', (argv, message) => {
    const result = parseCliArgs(argv);
    expect(result.isOk).toBe(false);
    if (!result.isOk) {
      expect(result.message).toMatch(message);
      expect(result.message).toMatch(/Usage: npm run sandbox/);
    }
  });
});

describe('cli', () => {
  it('prints the base URL, then the service token on its own line; serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', 'sandbox/cli.ts', '--patients', '8'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.split('\n').length > 2) resolve(out.split('\n'));
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const url = /(http:\/\/127\.0\.0\.1:\d+\/fhir)/.exec(lines[0] ?? '')?.[1] ?? '';
    expect(url).not.toBe('');
    const token = /^Service token: ([A-Za-z0-9_-]{43})$/.exec(lines[1] ?? '')?.[1] ?? '';
    expect(token).not.toBe('');
    expect((await fetch(`${url}/Patient?_count=1`)).status).toBe(200);
    const write = (authorization?: string) =>
      fetch(`${url}/Patient/cli-written`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ resourceType: 'Patient', id: 'cli-written' }),
      }).then((r) => r.status);
    expect(await write()).toBe(401);
    expect(await write(`Bearer ${token}`)).toBe(201);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
