/**
 * `npm run test:interop [-- --central <FHIR base URL>] [vitest options]`: the interop suite against
 * that server, or against a sandbox each test file starts for itself when no URL is given. The URL
 * reaches the tests as ONSCENE_INTEROP_CENTRAL; ONSCENE_INTEROP_TOKEN, when set, is sent as bearer.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { INTEROP_ENV } from './interopTestKit';

const args = process.argv.slice(2);
const at = args.indexOf('--central');
const central = at >= 0 ? args[at + 1] : undefined;
if (at >= 0 && !/^https?:\/\//.test(central ?? '')) {
  console.error('--central needs an http:// or https:// FHIR base URL, e.g. --central http://127.0.0.1:8090/fhir');
  process.exit(2);
}
const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
const root = path.resolve(import.meta.dirname, '..');
console.error(central ? `Interop suite against ${central}` : 'Interop suite against a sandbox of its own (give --central <url> for another FHIR server)');
const child = spawn(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', path.join(root, 'interop/vitest.config.ts'), ...rest], {
  stdio: 'inherit',
  env: { ...process.env, ...(central ? { [INTEROP_ENV]: central } : {}) },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
