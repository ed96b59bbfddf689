// Builds what the shells serve: the renderer (Vite) and the Electron main + preload (esbuild).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronMainOptions, electronPreloadOptions } from './esbuildOptions.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await viteBuild({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });

await esbuild(electronMainOptions(root, path.join(root, 'dist/main/electron/main.mjs')));
await esbuild(electronPreloadOptions(root, path.join(root, 'dist/main/electron/preload.cjs')));
console.log('built dist/renderer and dist/main/electron');
