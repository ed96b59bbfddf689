import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A private PostgreSQL cluster for the interop central record, from Debian's packages. Installs
 * them with apt-get when missing (as root; CI runs as root). PostgreSQL refuses to run as root, so
 * as root the cluster belongs to and runs as the `postgres` user the package creates.
 */
function binDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

function install(say: (line: string) => void): string {
  if (process.getuid?.() !== 0) throw new Error('PostgreSQL is not installed and this user cannot install it: apt-get install -y postgresql');
  say('Installing PostgreSQL from Debian packages (apt-get install -y postgresql)...');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    throw new Error('apt-get install postgresql failed (are the Debian package mirrors reachable?)');
  }
  const dir = binDir();
  if (!dir) throw new Error('apt-get installed postgresql but no pg_ctl was found under /usr/lib/postgresql');
  return dir;
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL tool as the cluster's owner. */
function pg(bin: string, tool: string, args: readonly string[], options: { allowFail?: boolean } = {}): string {
  const command = isRoot() ? 'runuser' : path.join(bin, tool);
  const full = isRoot() ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : [...args];
  try {
    return execFileSync(command, full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (options.allowFail) return '';
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${tool} failed: ${stderr.trim().split('\n').slice(-2).join(' ')}`, { cause: error });
  }
}

export type PostgresOptions = Readonly<{ stateDir: string; port: number; say: (line: string) => void }>;

/**
 * Where the cluster lives: `.interop/pg`, unless (as root) the `postgres` user cannot reach that
 * folder, as in a clone under /root; then a folder of the postgres user's own, named after the clone.
 */
export function dataDir(stateDir: string): string {
  const own = path.join(stateDir, 'pg');
  if (!isRoot()) return own;
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', stateDir], { stdio: 'ignore' });
    return own;
  } catch {
    const name = createHash('sha256').update(path.resolve(stateDir)).digest('hex').slice(0, 12);
    return path.join('/var/lib/postgresql', `onscene-interop-${name}`);
  }
}

/** Initialises (first time) and starts the cluster on 127.0.0.1:port with a `hapi` database; returns the port. */
export async function ensurePostgres({ stateDir, port, say }: PostgresOptions): Promise<number> {
  const bin = binDir() ?? install(say);
  const data = dataDir(stateDir);
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    fs.mkdirSync(data, { recursive: true, mode: 0o700 });
    if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', data]);
    say(`Creating the PostgreSQL cluster in ${data} ...`);
    // Local connections are trusted: a loopback-only cluster of synthetic test data.
    pg(bin, 'initdb', ['-D', data, '-U', 'hapi', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  }
  const log = path.join(isRoot() && !data.startsWith(stateDir) ? data : stateDir, 'pg.log');
  if (isRoot()) {
    fs.closeSync(fs.openSync(log, 'a'));
    execFileSync('chown', ['postgres:postgres', log]);
  }
  const isRunning = pg(bin, 'pg_ctl', ['-D', data, 'status'], { allowFail: true }).includes('server is running');
  if (!isRunning) {
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${data} -c fsync=off -c synchronous_commit=off -c max_connections=60`;
    pg(bin, 'pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  }
  const actualPort = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[3]);
  const dbs = pg(bin, 'psql', ['-h', '127.0.0.1', '-p', String(actualPort), '-U', 'hapi', '-d', 'postgres', '-Atc', "SELECT 1 FROM pg_database WHERE datname = 'hapi'"]);
  if (dbs.trim() !== '1') pg(bin, 'createdb', ['-h', '127.0.0.1', '-p', String(actualPort), '-U', 'hapi', 'hapi']);
  return actualPort;
}

export function stopPostgres(stateDir: string, say: (line: string) => void): void {
  const bin = binDir();
  const data = dataDir(stateDir);
  if (!bin || !fs.existsSync(path.join(data, 'postmaster.pid'))) return;
  pg(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], { allowFail: true });
  say('Stopped PostgreSQL.');
}
