import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Condition, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../db/localStore';
import { createOutboxRepo } from '../db/outboxRepo';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { ALL_DISTRICTS, openTestClient, tempDir } from './syncTestKit';

// A real child process syncing against the real sandbox, SIGKILLed at random moments. After a
// final uninterrupted run: no committed local write lost, none duplicated on the server, and the
// store equals a device that never crashed.
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crashChild.fixture.ts');
const RUNS = Number(process.env.ONSCENE_CRASH_RUNS ?? 20);
let sandbox: Sandbox;

type ChildRun = { committed: string[]; wasKilled: boolean; lines: string[]; readyMs: number };

/** Runs the child; with `killAfterMs` it records and syncs forever and is SIGKILLed that long after it spawned. */
function runChild(dir: string, runId: number, killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let readyMs = -1;
    const writes = killAfterMs === null ? '3' : 'forever';
    const child: ChildProcess = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', CHILD, sandbox.baseUrl, dir, String(runId), writes], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CENTRAL_TOKEN: sandbox.serviceToken },
    });
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const lines: string[] = [];
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line === 'READY') readyMs = performance.now() - startedAt;
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ committed: lines.filter((l) => l.startsWith('W ')).map((l) => l.slice(2)), wasKilled: signal === 'SIGKILL', lines, readyMs });
    });
  });
}

/** Other people keep editing the central record, so every run has something to pull (and a deletion to see). */
async function changeTheRecord(run: number): Promise<void> {
  const conditions = await sandbox.repo.search<Condition>('Condition', { _count: '200' });
  for (const [i, condition] of conditions.slice((run * 3) % 40, ((run * 3) % 40) + 3).entries()) {
    await sandbox.repo.updateResource<Condition>({ ...condition, note: [{ text: `Reviewed in round ${run}.${i}` }] });
  }
  const doomed = conditions[run];
  if (run % 4 === 0 && doomed) await sandbox.repo.deleteResource('Condition', doomed.id);
}

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 24, seed: 13 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('crash safety', () => {
  it(`survives ${RUNS} SIGKILLs at random points of recording and syncing`, async () => {
    const dir = tempDir('onscene-crash-');
    const committed: string[] = [];
    let kills = 0;
    let killedWhileOpening = 0;
    // How long the child takes to open here and now (a loaded machine opens slowly): the kills are
    // spread around it, so some land while opening and most while recording and syncing.
    const calibration = await runChild(dir, RUNS + 1, null);
    expect(calibration.lines).toContain('DONE');
    committed.push(...calibration.committed);
    const openMs = Math.max(calibration.readyMs, 200);
    for (let run = 1; run <= RUNS; run++) {
      // A seeded spread from before the store is open to well into syncing: opening, recording, pulling, pushing.
      const killAfterMs = Math.round(openMs * 0.6 + (((run * 7919) % 97) / 97) * (openMs + 1200));
      await changeTheRecord(run);
      const result = await runChild(dir, run, killAfterMs);
      committed.push(...result.committed);
      if (result.wasKilled) kills++;
      if (result.readyMs < 0) killedWhileOpening++;
    }
    expect(killedWhileOpening).toBeLessThan(RUNS);
    const final = await runChild(dir, 0, null);
    expect(final.lines).toContain('DONE');
    committed.push(...final.committed);
    expect(kills).toBe(RUNS);

    // No lost local write: everything the child reported as committed is on the server, as written.
    const onServer = await sandbox.repo.search<Observation>('Observation', { _count: '1000', code: 'Respiratory rate' });
    const crashIds = onServer.map((o) => o.id).filter((id) => id.startsWith('obs-crash-'));
    for (const id of committed) expect(crashIds).toContain(id);
    // No duplicate: one resource per write (client ids), and every version of it has the same content.
    expect(new Set(crashIds).size).toBe(crashIds.length);
    for (const id of committed) {
      const expected = 10 + Number(id.split('-').at(-1));
      expect(onServer.find((o) => o.id === id)?.valueQuantity?.value).toBe(expected);
    }

    // The crashed device's store equals one that synced the same record without interruption.
    const store = await openLocalStore({ directory: dir, key: 'c'.repeat(64) });
    const outboxLeft = await createOutboxRepo(store).count();
    const { createResourceRepo } = await import('../db/resourceRepo');
    const crashed = await createResourceRepo(store).fingerprint();
    await store.close();
    expect(outboxLeft).toBe(0);
    const reference = await openTestClient({ baseUrl: sandbox.baseUrl, area: ALL_DISTRICTS, pageSize: 10 });
    await reference.engine.run();
    expect(crashed).toEqual(await reference.fingerprint());
    await reference.close();
  }, 300_000); // each run is timed to the machine: a loaded one takes longer
});
