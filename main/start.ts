import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCentral, startWebApp } from './app';
import { readConfig } from './config';
import { startDemo } from './dev/demo';
import { findElectronBinary } from './electronBinary';
import { installProcessGuard } from './processGuard';
import { describeKeyFileProtection, openWebKeyStore } from './security/keyFileProtection';

// `npm start`, the development entry point: Electron when its binary is here, otherwise the web
// shell, saying why. With no central record configured it starts the sandbox demo (synthetic data,
// its own identity provider); the packaged app never does (main/electron/main.ts).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const args = process.argv.slice(2);
  const config = readConfig(args, process.env);
  const electron = config.shell === 'web' ? { missing: 'ONSCENE_SHELL=web was set' } : findElectronBinary(repoRoot);
  if ('path' in electron) {
    const child = spawn(electron.path, [path.join(repoRoot, 'dist', 'main', 'electron', 'main.mjs'), ...args], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.log(`Using the web shell because ${electron.missing}.`);
  // Seal keys.json with the OS key store where the platform offers one (issue #10); say so either way.
  const keyStore = openWebKeyStore();
  const keyProtector = keyStore.isAvailable ? keyStore.protector : null;
  console.log(describeKeyFileProtection(config.dataDir, keyStore).summary);
  let running: { url: string; close(): Promise<void> };
  if (config.centralUrl) {
    if (!config.identity) console.log('No --identity given: online sign-in is off; only users already enrolled on this device can sign in.');
    running = await startWebApp({ config: requireCentral(config), keyProtector });
  } else {
    console.log('No --central given: starting the sandbox central record and identity provider with synthetic demo data.');
    const demo = await startDemo({ dataDir: config.dataDir, port: config.port, vehicle: config.vehicle, syncIntervalMs: config.syncIntervalMs, config, keyProtector });
    console.log(`Sandbox identity provider: ${demo.sandbox.issuer} (demo users and passwords: README "Demo users").`);
    running = demo;
  }
  console.log(`OnScene is running. Open ${running.url}`);
  const stop = () => void running.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

installProcessGuard((line) => console.error(`[onscene] ${line}`));

main().catch((error: unknown) => {
  console.error(`OnScene could not start: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
