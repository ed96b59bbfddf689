import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export type CentralState = { pgPort: number; hapiPort: number; hapiPid: number; baseUrl: string };

/** Why the Java/Maven toolchain cannot build and run HAPI here, or null when it can. */
export function javaProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const [tool, args] of [['java', ['-version']], ['mvn', ['-v']]] as const) {
    const run = spawnSync(tool, [...args], { encoding: 'utf8', env });
    if (run.error || run.status !== 0) return `${tool} is not installed or does not run (${run.error?.message ?? `exit ${run.status}`}); install a JDK 17 and Maven (apt-get install -y openjdk-17-jdk-headless maven)`;
  }
  const version = spawnSync('java', ['-version'], { encoding: 'utf8', env }).stderr;
  const major = Number(/version "(\d+)/.exec(version)?.[1] ?? '0');
  return major >= 17 ? null : `java ${major || '?'} is too old: HAPI FHIR 8 needs Java 17 or newer`;
}

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'target') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `mvn -q -B package` when the jar is missing or older than its sources; returns the build time, or null if it was current. */
export function buildIfNeeded(root: string, jar: string, say: (line: string) => void): number | null {
  const project = path.join(root, 'interop/hapi');
  if (fs.existsSync(jar) && fs.statSync(jar).mtimeMs >= newestSourceMs(project)) return null;
  say('Building the HAPI FHIR JPA server (mvn -q -B package; the first build downloads HAPI from Maven Central)...');
  const started = Date.now();
  try {
    // Maven's output goes to stderr: stdout's last line is the base URL, which CI reads.
    execFileSync('mvn', ['-q', '-B', '-Dstyle.color=never', '-f', path.join(project, 'pom.xml'), 'package'], { stdio: ['ignore', 2, 2] });
  } catch {
    throw new Error('mvn package failed (is Maven Central reachable? see the Maven output above)');
  }
  const ms = Date.now() - started;
  say(`Built in ${(ms / 1000).toFixed(1)} s.`);
  return ms;
}

/** A free TCP port on 127.0.0.1: `preferred` when it is free, else any. */
export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const got = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(got));
      });
    });
  return (preferred ? await tryPort(preferred) : null) ?? ((await tryPort(0)) as number);
}

export function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `<base>/metadata` until it answers 200; fails when `isRunning()` turns false or time runs out. */
export async function waitForMetadata(baseUrl: string, timeoutMs: number, isRunning: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning()) throw new Error('HAPI FHIR JPA exited during start (see .interop/hapi.log)');
    try {
      const response = await fetch(`${baseUrl}/metadata?_summary=true`, { signal: AbortSignal.timeout(5_000), headers: { accept: 'application/fhir+json' } });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`${baseUrl}/metadata did not answer within ${Math.round(timeoutMs / 1000)} s`);
}
