import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as fuses from '../build/fuses.cjs';
import { ICON_SIZES, iconIco, iconPng } from '../build/makeIcons.mjs';
import { ELECTRON_MAIN_OUT, ELECTRON_PRELOAD_OUT } from './esbuildOptions.mjs';

// Issue #16: the installer configuration, checked without Electron. electron-builder's own schema
// validation (app-builder-lib) on electron-builder.yml, every file it names exists, the choices the
// issue asks for hold, the icons are the ones build/makeIcons.mjs draws, and the fuse hook flips
// and verifies the fuses on a binary carrying Electron's fuse wire.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Config = Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  afterPack: string;
  directories: { buildResources: string };
  win: { icon: string; target: { target: string }[] };
  nsis: Record<string, unknown> & { license: string; include: string; installerIcon: string; uninstallerIcon: string };
  linux: { icon: string; target: { target: string }[] };
  publish: { provider: string; url: string }[];
};
const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

/** app-builder-lib's validateConfiguration: the JSON schema electron-builder itself applies before building. */
async function validate(candidate: unknown): Promise<string | null> {
  const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as unknown as { validateConfiguration: (c: unknown, l: unknown) => Promise<void> };
  const { DebugLogger } = (await import('builder-util/out/DebugLogger.js')) as unknown as { DebugLogger: new (enabled: boolean) => unknown };
  try {
    await validateConfiguration(structuredClone(candidate), new DebugLogger(false));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    expect(await validate(config)).toBeNull();
  });
  it('the validation can fail: a misspelt option or a wrong type is refused', async () => {
    expect(await validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).toMatch(/configuration\.nsis/);
    expect(await validate({ ...config, asar: 'yes' })).toMatch(/configuration\.asar/);
  });
  it('names only files that exist', () => {
    const named = [config.afterPack, config.win.icon, config.nsis.license, config.nsis.include, config.nsis.installerIcon, config.nsis.uninstallerIcon, config.linux.icon, config.directories.buildResources];
    for (const file of named) expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    // What `files` packs of our own (the globs are checked against a real pack in packagedApp.test.ts).
    for (const file of config.files.filter((f) => !f.startsWith('!') && !f.includes('*'))) expect(fs.existsSync(path.join(root, file)), `${file} (run npm run build)`).toBe(true);
  });
  it('builds what the issue asks: per-machine NSIS, AppImage and deb, asar with SQLite unpacked, fuses after pack', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, deleteAppDataOnUninstall: false });
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3-multiple-ciphers/**');
    expect(config.npmRebuild).toBe(true);
    expect(config.afterPack).toBe('build/afterPack.cjs');
    // Our own files: the bundles and the renderer, never a source folder.
    for (const pattern of config.files.filter((f) => !f.startsWith('!'))) expect(pattern).toMatch(/^(package\.json|dist\/)/);
    // The placeholder feed is never reachable: updates use only the trust's configured URL.
    expect(config.publish).toEqual([{ provider: 'generic', url: 'https://updates.invalid/onscene/' }]);
  });
  it('package.json main is the bundle scripts/build.mjs writes, and npm run build produced it', () => {
    expect(packageJson.main).toBe(ELECTRON_MAIN_OUT);
    expect(config.files).toEqual(expect.arrayContaining([ELECTRON_MAIN_OUT, ELECTRON_PRELOAD_OUT]));
    expect(fs.readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8')).toMatch(/ELECTRON_MAIN_OUT/);
    expect(fs.existsSync(path.join(root, packageJson.main)), 'npm test builds first; alone, run npm run build').toBe(true);
    expect(packageJson.scripts.dist).toBe('node scripts/dist.mjs');
  });
});

describe('the icons come from the one source, build/makeIcons.mjs', () => {
  it('the committed PNGs and .ico are exactly what the source draws', () => {
    for (const size of ICON_SIZES) {
      const file = fs.readFileSync(path.join(root, 'build/icons', `${size}x${size}.png`));
      expect(file.equals(iconPng(size)), `${size}x${size}.png is stale: run npm run icons`).toBe(true);
      expect([file.readUInt32BE(16), file.readUInt32BE(20)]).toEqual([size, size]); // IHDR width, height
    }
    const ico = fs.readFileSync(path.join(root, 'build/icon.ico'));
    expect(ico.equals(iconIco())).toBe(true);
    expect(ico.readUInt16LE(2)).toBe(1); // an icon file
    expect(ico[6]).toBe(0); // first entry 256 px (0 means 256): what electron-builder requires for Windows
  });
});

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-fuses-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * A file carrying a fuse wire in Electron's format (sentinel, version 1, length, one byte per fuse),
 * with Electron's shipped defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on.
 */
function fakeElectron(name: string, wire = '10110001'): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.concat([Buffer.alloc(1024, 7), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire, 'ascii'), Buffer.alloc(1024, 7)]));
  return file;
}
const wireOf = (file: string) => {
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
  return bytes.subarray(at, at + bytes[at - 1]!).toString('ascii');
};

describe('fuses flipped after pack (build/afterPack.cjs)', () => {
  it('turns RunAsNode, NODE_OPTIONS and --inspect off, cookie encryption and asar-only on, and reads them back', async () => {
    const linux = fakeElectron('onscene');
    await fuses.applyFuses(linux, 'linux');
    // Order: RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolPrivileges.
    expect(wireOf(linux)).toBe('01000100');
    const windows = fakeElectron('OnScene.exe');
    await fuses.applyFuses(windows, 'win32');
    expect(wireOf(windows)).toBe('01001100'); // asar integrity validated where Electron supports it
    expect(await fuses.fuseMismatches(windows, fuses.fuseConfigFor('win32'))).toEqual([]);
  });
  it('the check can fail: an unflipped binary, a removed fuse and a binary with no fuse wire are reported', async () => {
    expect(await fuses.fuseMismatches(fakeElectron('stock'), fuses.fuseConfigFor('linux'))).toEqual(
      expect.arrayContaining(['RunAsNode is on', 'EnableCookieEncryption is off', 'EnableNodeOptionsEnvironmentVariable is on', 'EnableNodeCliInspectArguments is on', 'OnlyLoadAppFromAsar is off']),
    );
    await expect(fuses.applyFuses(fakeElectron('removed', '1r110001'), 'linux')).rejects.toThrow(/removed fuses OnScene sets: EnableCookieEncryption/);
    const plain = path.join(tmp, 'plain');
    fs.writeFileSync(plain, 'not electron');
    await expect(fuses.applyFuses(plain, 'linux')).rejects.toThrow(/sentinel/);
  });
  it('finds the executable electron-builder left in appOutDir, per platform', () => {
    const packager = { executableName: 'onscene', appInfo: { productFilename: 'OnScene' } };
    expect(fuses.electronBinaryOf({ appOutDir: '/out', electronPlatformName: 'linux', packager })).toBe(path.join('/out', 'onscene'));
    expect(fuses.electronBinaryOf({ appOutDir: '/out', electronPlatformName: 'win32', packager })).toBe(path.join('/out', 'OnScene.exe'));
    expect(() => fuses.electronBinaryOf({ appOutDir: '/out', electronPlatformName: 'freebsd', packager })).toThrow();
  });
});

// The NSIS include compiles with makensis (Debian package nsis) where it is installed.
const makensis = spawnSync('sh', ['-c', 'command -v makensis']).status === 0;
if (!makensis) console.warn('installerConfig.test.ts: build/installer.nsh not compiled: makensis not installed (apt-get install nsis)');
describe.skipIf(!makensis)('build/installer.nsh', () => {
  const compile = (include: string): number | null => {
    const dir = fs.mkdtempSync(path.join(tmp, 'nsis-'));
    fs.writeFileSync(path.join(dir, 'probe.nsi'), `Unicode true\nOutFile "${path.join(dir, 'probe.exe')}"\nRequestExecutionLevel user\n!include "${include}"\nSection\n  !insertmacro customInstall\nSectionEnd\n`);
    return spawnSync('makensis', ['-V1', path.join(dir, 'probe.nsi')], { encoding: 'utf8' }).status;
  };
  it('compiles into an installer section (customInstall, the /CONFIG switch)', () => {
    expect(compile(path.join(root, config.nsis.include))).toBe(0);
  });
  it('the check can fail: a broken include does not compile', () => {
    const broken = path.join(tmp, 'broken.nsh');
    fs.writeFileSync(broken, fs.readFileSync(path.join(root, config.nsis.include), 'utf8').replace('${EndIf}\n!macroend', '!macroend'));
    expect(compile(broken)).not.toBe(0);
  });
});
