// Builds what the shells serve: the renderer (Vite) and the Electron main + preload (esbuild).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_MAIN_OUT, ELECTRON_PRELOAD_OUT, electronMainOptions, electronPreloadOptions } from './esbuildOptions.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await viteBuild({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });

// ELECTRON_MAIN_OUT is package.json `main`: what Electron and electron-builder start.
await esbuild(electronMainOptions(root, path.join(root, ELECTRON_MAIN_OUT)));
await esbuild(electronPreloadOptions(root, path.join(root, ELECTRON_PRELOAD_OUT)));
console.log('built dist/renderer and dist/main/electron');
