// Builds what the shells serve: the renderer (Vite) and the Electron main + preload (esbuild).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await viteBuild({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });

const common = { bundle: true, platform: 'node', target: 'node22', packages: 'external', logLevel: 'warning', sourcemap: true };
await esbuild({ ...common, entryPoints: [path.join(root, 'main/electron/main.ts')], outfile: path.join(root, 'dist/main/electron/main.mjs'), format: 'esm' });
// Sandboxed preloads must be CommonJS.
await esbuild({ ...common, entryPoints: [path.join(root, 'main/electron/preload.ts')], outfile: path.join(root, 'dist/main/electron/preload.cjs'), format: 'cjs' });
console.log('built dist/renderer and dist/main/electron');
