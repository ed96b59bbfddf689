import fs from 'node:fs';
import path from 'node:path';

export type ElectronBinary = Readonly<{ path: string }> | Readonly<{ missing: string }>;

/**
 * Finds Electron's binary without triggering its first-run download (electron >= 45 fetches it
 * when `require('electron')` runs, which fails on machines without internet).
 */
export function findElectronBinary(repoRoot: string): ElectronBinary {
  const packageDir = path.join(repoRoot, 'node_modules', 'electron');
  if (!fs.existsSync(packageDir)) return { missing: 'the electron package is not installed' };
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return { missing: "Electron's binary has not been downloaded (it is fetched on first run, and this machine has no access to its download site)" };
  }
  const binary = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? { path: binary } : { missing: `Electron's binary is missing at ${binary}` };
}
