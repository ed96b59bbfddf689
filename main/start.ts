import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOnScene } from './app';
import { readConfig } from './config';
import { findElectronBinary } from './electronBinary';

// `npm start`: Electron when its binary is here, otherwise the web shell, saying why.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const args = process.argv.slice(2);
  const config = readConfig(args, process.env);
  const electron = process.env.ONSCENE_SHELL === 'web' ? { missing: 'ONSCENE_SHELL=web was set' } : findElectronBinary(repoRoot);
  if ('path' in electron) {
    const child = spawn(electron.path, [path.join(repoRoot, 'dist', 'main', 'electron', 'main.mjs'), ...args], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.log(`Using the web shell because ${electron.missing}.`);
  if (!config.centralUrl) console.log('No --central given: starting the embedded sandbox central record with synthetic demo data.');
  const app = await startOnScene({
    dataDir: config.dataDir,
    port: config.port,
    vehicle: config.vehicle,
    syncIntervalMs: config.syncIntervalMs,
    ...(config.centralUrl ? { centralUrl: config.centralUrl } : {}),
  });
  console.log(`OnScene is running. Open ${app.url}`);
  const stop = () => void app.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`OnScene could not start: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
