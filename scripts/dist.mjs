// `npm run dist [-- electron-builder options]`: builds the bundles, packages them with
// electron-builder (which rebuilds the native SQLite module for Electron's ABI in node_modules),
// then rebuilds that module for this Node again, so `npm start` and `npm test` keep working
// (README "Building installers": the Node and Electron ABI story). Needs the internet: Electron
// itself, its headers for the rebuild, and the NSIS / AppImage tools are downloaded.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers'];
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

let status = run(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
if (status === 0) {
  status = run(process.execPath, [path.join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
  // Whatever electron-builder did, put the Node build back for development.
  const restored = run('npm', ['rebuild', ...NATIVE_MODULES]);
  if (restored !== 0) console.error(`Could not rebuild ${NATIVE_MODULES.join(', ')} for Node: run "npm rebuild ${NATIVE_MODULES.join(' ')}" before npm start or npm test.`);
}
process.exit(status);
