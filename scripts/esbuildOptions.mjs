// esbuild options for the Electron main and preload bundles, shared by scripts/build.mjs and
// scripts/electronBundle.test.ts so the test checks exactly what the build ships.
import path from 'node:path';

/** Where scripts/build.mjs writes the Electron bundles; package.json `main` names the first (checked by scripts/installerConfig.test.ts). */
export const ELECTRON_MAIN_OUT = 'dist/main/electron/main.mjs';
export const ELECTRON_PRELOAD_OUT = 'dist/main/electron/preload.cjs';

/** Packages stay import statements (`packages: 'external'`); only our own modules are bundled. */
export const nodeBundle = Object.freeze({ bundle: true, platform: 'node', target: 'node22', packages: 'external', logLevel: 'warning', sourcemap: true });

/** The Electron main process: main/electron/main.ts as one ES module at `outfile`. */
export function electronMainOptions(root, outfile) {
  return { ...nodeBundle, entryPoints: [path.join(root, 'main/electron/main.ts')], outfile, format: 'esm' };
}

/** The preload: sandboxed preloads must be CommonJS. */
export function electronPreloadOptions(root, outfile) {
  return { ...nodeBundle, entryPoints: [path.join(root, 'main/electron/preload.ts')], outfile, format: 'cjs' };
}
