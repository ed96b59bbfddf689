import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asarModule from '@electron/asar';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_MAIN_OUT, electronMainOptions } from './esbuildOptions.mjs';

// Issue #16: a real `electron-builder --linux dir` of this repository, with the real
// electron-builder.yml, its file patterns, asar packing and the afterPack fuse hook. Only
// Electron itself is replaced, because its binary cannot be downloaded here: a stand-in
// executable carrying Electron's fuse wire, passed as `electronDist`. The native rebuild for
// Electron's ABI needs Electron's headers from the internet, so it is off here (npmRebuild=false)
// and verified by the release engineer (README "Building installers").
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const asar = asarModule as unknown as { listPackage(archive: string, options?: unknown): string[]; extractFile(archive: string, file: string): Buffer; extractAll(archive: string, dest: string): void };
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-pack-'));
const outDir = path.join(tmp, 'release');
const appDir = path.join(outDir, 'linux-unpacked');
let files: string[] = [];
let unpacked: string[] = [];
let log = '';

function fakeElectronDist(): string {
  const dir = path.join(tmp, 'electron-dist');
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  // Electron 45's shipped wire: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on.
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001', 'ascii')]);
  fs.writeFileSync(path.join(dir, 'electron'), Buffer.concat([Buffer.alloc(2048, 7), wire, Buffer.alloc(2048, 7)]), { mode: 0o755 });
  for (const name of ['LICENSE', 'LICENSES.chromium.html']) fs.writeFileSync(path.join(dir, name), 'stand-in');
  return dir;
}

const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** Package names (`@scope/name`) that have a package.json at their root in a file list. */
const packagesIn = (list: readonly string[]): Set<string> =>
  new Set(list.flatMap((f) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(f.split(path.sep).join('/'))?.slice(1, 2) ?? []));

/** The package specifiers the Electron main bundle imports (not Node's own, not Electron). */
async function bundleImports(): Promise<string[]> {
  const result = await build({ ...electronMainOptions(root, path.join(tmp, 'main.mjs')), absWorkingDir: root, metafile: true, write: false });
  const externals = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  return [...new Set(externals.filter((s) => !s.startsWith('node:') && s !== 'electron'))];
}

/** The packages the Electron main bundle imports, and everything they depend on, as installed. */
async function neededPackages(): Promise<Set<string>> {
  const names = (await bundleImports()).map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));
  const needed = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'node_modules', name, 'package.json');
      if (fs.existsSync(manifest)) {
        if (needed.has(name)) return;
        needed.add(name);
        const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        // Type declarations some packages list as dependencies are never loaded at run time.
        for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) if (!dep.startsWith('@types/')) visit(dep, path.dirname(manifest));
        return;
      }
      if (dir === path.dirname(dir) || dir === path.dirname(root)) return; // not installed (an optional dependency for another platform)
    }
  };
  for (const name of new Set(names)) visit(name, root);
  return needed;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, ELECTRON_MAIN_OUT))) throw new Error('run npm run build first (npm test does)');
  const cli = path.join(root, 'node_modules', 'electron-builder', 'cli.js');
  const args = [cli, '--config', 'electron-builder.yml', '--linux', 'dir', '--publish', 'never', `-c.electronDist=${fakeElectronDist()}`, '-c.npmRebuild=false', `-c.directories.output=${outDir}`];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: 'true' } });
  log = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`electron-builder failed (${run.status}):\n${log.slice(-3000)}`);
  files = asar.listPackage(path.join(appDir, 'resources', 'app.asar'));
  unpacked = walk(path.join(appDir, 'resources', 'app.asar.unpacked')).map((f) => `/${path.relative(path.join(appDir, 'resources', 'app.asar.unpacked'), f).split(path.sep).join('/')}`);
}, 300_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the packed app (electron-builder --linux dir, stand-in Electron)', () => {
  it('holds the bundles package.json main names, and the renderer', () => {
    const manifest = JSON.parse(asar.extractFile(path.join(appDir, 'resources', 'app.asar'), 'package.json').toString('utf8')) as { main: string };
    expect(manifest.main).toBe(ELECTRON_MAIN_OUT);
    expect(files).toEqual(expect.arrayContaining([`/${ELECTRON_MAIN_OUT}`, '/dist/main/electron/preload.cjs', '/dist/renderer/index.html']));
  });
  it('holds no source, sandbox, tests, bench, scripts, source maps or packaging files of ours', () => {
    const ours = files.filter((f) => !f.startsWith('/node_modules'));
    expect(ours.filter((f) => !/^\/(package\.json|dist|dist\/main|dist\/main\/electron|dist\/main\/electron\/(main\.mjs|preload\.cjs)|dist\/renderer(\/.*)?)$/.test(f))).toEqual([]);
    expect(ours.filter((f) => /\.map$|\.test\.|\.e2e\.|fixture/i.test(f))).toEqual([]);
  });
  it('ships every package the main bundle needs and nothing only the sandbox, renderer or tooling uses', async () => {
    const needed = await neededPackages();
    const shipped = packagesIn([...files, ...unpacked]);
    expect([...needed].filter((name) => !shipped.has(name)), 'needed at run time but not packed').toEqual([]);
    expect([...shipped].filter((name) => !needed.has(name)), 'packed but never loaded: exclude it in electron-builder.yml').toEqual([]);
    const devOnly = Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
    expect(devOnly.filter((name) => shipped.has(name))).toEqual([]);
    for (const never of ['@medplum/fhir-router', '@medplum/core', 'oidc-provider', 'react', 'react-dom', 'nhsuk-frontend', 'tsx', 'vitest']) expect(shipped.has(never), never).toBe(false);
  });
  it('every package the main bundle imports loads from the packed tree (in Node: here the native module is still Node’s build)', async () => {
    const extracted = path.join(tmp, 'extracted');
    asar.extractAll(path.join(appDir, 'resources', 'app.asar'), extracted);
    fs.cpSync(path.join(appDir, 'resources', 'app.asar.unpacked'), extracted, { recursive: true });
    const specs = await bundleImports();
    expect(specs).toEqual(expect.arrayContaining(['better-sqlite3-multiple-ciphers', 'rxdb', 'openid-client', 'electron-updater']));
    const probe = path.join(extracted, 'dist', 'main', 'electron', 'probe.mjs');
    fs.writeFileSync(probe, `for (const spec of ${JSON.stringify(specs)}) await import(spec);\nconst Db = (await import('better-sqlite3-multiple-ciphers')).default;\nnew Db(':memory:').close();\nconsole.log('loaded');\n`);
    const run = spawnSync(process.execPath, [probe], { cwd: path.dirname(probe), encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '' } });
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('loaded');
  });
  it('unpacks the native SQLite module beside the archive, and only its runtime files', () => {
    expect(unpacked).toContain('/node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node');
    expect(files.some((f) => f.endsWith('.node') && !f.startsWith('/node_modules/better-sqlite3-multiple-ciphers'))).toBe(false);
    expect(unpacked.filter((f) => /\/(deps|src)\/|test_extension|\.(c|cpp|h)$/.test(f))).toEqual([]);
  });
  it('flipped the fuses on the executable (afterPack) and wrote the updater’s app-update.yml', () => {
    expect(log).toMatch(/Electron fuses flipped and verified/);
    const binary = fs.readFileSync(path.join(appDir, 'onscene'));
    const at = binary.indexOf(SENTINEL) + SENTINEL.length + 2;
    expect(binary.subarray(at, at + 8).toString('ascii')).toBe('01000100');
    expect(fs.readFileSync(path.join(appDir, 'resources', 'app-update.yml'), 'utf8')).toMatch(/provider: generic/);
  });
});
