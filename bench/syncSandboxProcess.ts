import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The sandbox central record in its own process, so its CPU time is measured apart from the client's. */
export type SandboxProcess = Readonly<{
  baseUrl: string;
  /** The sandbox's write token (it prints it at start): writes need it. */
  serviceToken: string;
  /** CPU seconds (user + system) the server process has used so far; NaN where /proc is unavailable. */
  cpuSeconds(): number;
  setOffline(isOffline: boolean): Promise<void>;
  close(): Promise<void>;
}>;

function procCpuSeconds(pid: number | undefined): number {
  try {
    // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (USER_HZ is 100 on Linux).
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export function startSandboxProcess(patients: number): Promise<SandboxProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', path.join(ROOT, 'sandbox/cli.ts'), '--patients', String(patients)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: ROOT,
    });
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+\/fhir)[^\n]*\nService token: ([\w-]+)\n/.exec(out);
      if (!match) return;
      const baseUrl = match[1] as string;
      const serviceToken = match[2] as string;
      const origin = new URL(baseUrl).origin;
      child.removeAllListeners('exit');
      resolve({
        baseUrl,
        serviceToken,
        cpuSeconds: () => procCpuSeconds(child.pid),
        async setOffline(isOffline) {
          await fetch(`${origin}/__offline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offline: isOffline }) });
        },
        close: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
