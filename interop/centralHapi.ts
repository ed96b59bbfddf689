/**
 * `npm run central:hapi`: builds (when its sources changed) and starts HAPI FHIR JPA on PostgreSQL,
 * both on 127.0.0.1, waits until `/metadata` answers, and prints the FHIR base URL as the last line
 * of stdout (progress goes to stderr). `npm run central:hapi -- stop` stops both.
 *
 * State lives in `.interop/` (git-ignored): the PostgreSQL cluster, logs, and state.json with the
 * ports and the HAPI process id. PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` user; the cluster trusts local connections only (a synthetic-data test database).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type CentralState, buildIfNeeded, freePort, isAlive, javaProblem, waitForMetadata } from './centralTools';
import { ensurePostgres, stopPostgres } from './postgres';

const ROOT = path.resolve(import.meta.dirname, '..');
const STATE_DIR = path.join(ROOT, '.interop');
const STATE_FILE = path.join(STATE_DIR, 'state.json');
const JAR = path.join(ROOT, 'interop/hapi/target/onscene-central-hapi.jar');
const say = (line: string) => process.stderr.write(`${line}\n`);

function readState(): CentralState | null {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as CentralState;
  } catch {
    return null;
  }
}

const writeState = (state: CentralState) => fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);

function startHapi(pgPort: number, port: number): ChildProcess {
  const log = fs.openSync(path.join(STATE_DIR, 'hapi.log'), 'w');
  const child = spawn('java', ['-Xms512m', '-Xmx1536m', '-XX:+UseParallelGC', '-jar', JAR], {
    cwd: STATE_DIR,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ONSCENE_HAPI_PORT: String(port), ONSCENE_PG_URL: `jdbc:postgresql://127.0.0.1:${pgPort}/hapi`, ONSCENE_PG_USER: 'hapi', ONSCENE_PG_PASSWORD: 'hapi' },
  });
  child.unref();
  return child;
}

async function start(): Promise<void> {
  const problem = javaProblem();
  if (problem) throw new Error(problem);
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const previous = readState();
  if (previous && isAlive(previous.hapiPid)) {
    await waitForMetadata(previous.baseUrl, 10_000, () => true);
    say(`HAPI FHIR JPA is already running (pid ${previous.hapiPid}).`);
    console.log(previous.baseUrl);
    return;
  }
  const buildMs = buildIfNeeded(ROOT, JAR, say);
  const pgStart = Date.now();
  const pgPort = await ensurePostgres({ stateDir: STATE_DIR, port: previous?.pgPort ?? (await freePort()), say });
  say(`PostgreSQL ready on 127.0.0.1:${pgPort} in ${((Date.now() - pgStart) / 1000).toFixed(1)} s.`);
  const port = await freePort(previous?.hapiPort);
  const baseUrl = `http://127.0.0.1:${port}/fhir`;
  const hapiStart = Date.now();
  const child = startHapi(pgPort, port);
  writeState({ pgPort, hapiPort: port, hapiPid: child.pid ?? -1, baseUrl });
  say(`Starting HAPI FHIR JPA (pid ${child.pid}); log: .interop/hapi.log`);
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code ?? -1));
  try {
    // Spring wiring HAPI takes 1–4 minutes on a busy two-core machine (the first start also builds the schema).
    await waitForMetadata(baseUrl, 600_000, () => exitCode === null);
  } catch (error) {
    const tail = fs.readFileSync(path.join(STATE_DIR, 'hapi.log'), 'utf8').split('\n').filter((l) => /ERROR|Exception|Caused by/.test(l)).slice(-5).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tail}`, { cause: error });
  }
  const figures = `${buildMs === null ? '' : `build ${(buildMs / 1000).toFixed(1)} s, `}HAPI start ${((Date.now() - hapiStart) / 1000).toFixed(1)} s`;
  say(`HAPI FHIR JPA (R4) on PostgreSQL is up (${figures}).`);
  console.log(baseUrl);
}

async function stop(): Promise<void> {
  const state = readState();
  if (state && isAlive(state.hapiPid)) {
    process.kill(state.hapiPid, 'SIGTERM');
    for (let i = 0; i < 60 && isAlive(state.hapiPid); i++) await new Promise((r) => setTimeout(r, 500));
    if (isAlive(state.hapiPid)) process.kill(state.hapiPid, 'SIGKILL');
    say(`Stopped HAPI FHIR JPA (pid ${state.hapiPid}).`);
  }
  stopPostgres(STATE_DIR, say);
  if (state) writeState({ ...state, hapiPid: -1 });
}

const command = process.argv[2] ?? 'start';
try {
  if (command === 'stop') await stop();
  else if (command === 'start') await start();
  else throw new Error(`Unknown command "${command}": use no argument to start, or "stop".`);
} catch (error) {
  // One line first, so CI logs say why at a glance; details (if any) after it.
  console.error(`central:hapi failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
