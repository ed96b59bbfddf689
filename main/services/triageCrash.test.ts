import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonicalJson';
import { setObservationIds } from '../../core/triageFhir';
import { forUpload } from '../../sync/outbox';
import type { ObservationEntries, TriageView } from '../../core/triageViews';
import { type Sandbox, startSandbox } from '../../sandbox/server';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { type TestCore, caller, startCore, tempDataDir } from './testCalls';

// Issue #12: a SIGKILL at any moment of triage entry loses nothing the screen had shown as saved,
// and every recorded set still reaches the central record. The child is the whole application
// core in its own process, typing one character per save, recording sets and syncing.
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'triageCrashChild.fixture.ts');
const RUNS = Number(process.env.ONSCENE_TRIAGE_CRASH_RUNS ?? 4);
const medic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1')!;
let sandbox: Sandbox;
let dataDir: string;
let triageId: string;

type ChildRun = { lines: string[]; wasKilled: boolean; stderr: string };

function runChild(runId: number, killAfterReadyMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', CHILD, sandbox.baseUrl, dataDir, triageId, String(runId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CENTRAL_TOKEN: sandbox.serviceToken },
    });
    const lines: string[] = [];
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line === 'READY') timer = setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      clearTimeout(failsafe);
      resolve({ lines, wasKilled: signal === 'SIGKILL', stderr });
    });
  });
}

async function withCore<T>(use: (core: TestCore, token: string) => Promise<T>): Promise<T> {
  const core = await startCore(dataDir, [], sandbox.baseUrl, { config: { centralToken: sandbox.serviceToken } });
  try {
    const token = await caller(() => core).signIn(medic.userId, medic.pin);
    return await use(core, token);
  } finally {
    await core.close();
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 12, seed: 1 });
  dataDir = tempDataDir('triage-crash');
  triageId = await withCore(async (core, token) => {
    const { value } = caller(() => core);
    expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
    const incident = (await value('incidents.list', {}, token)).incidents.find((i) => i.patient)!;
    return (await value('triage.start', { patientId: incident.patient!.patientId, incidentId: incident.incidentId }, token)).triageId;
  });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
});

describe('SIGKILL during triage entry', () => {
  it(`loses nothing shown as saved over ${RUNS} kills at random moments, and every recorded set reaches the central record`, async () => {
    const recorded = new Set<string>();
    for (let run = 0; run < RUNS; run++) {
      const { lines, wasKilled, stderr } = await runChild(run, 300 + Math.floor(Math.random() * 2500));
      expect(stderr).not.toContain('child failed');
      expect(wasKilled).toBe(true);
      const saved = new Map<string, string>(); // `${setId} ${field}` → the last text shown as saved
      for (const line of lines) {
        const [kind, setId = '', field = '', text = ''] = line.split(' ');
        if (kind === 'S') saved.set(`${setId} ${field}`, text);
        if (kind === 'R') recorded.add(setId);
      }
      expect(saved.size + recorded.size).toBeGreaterThan(0);
      await withCore(async (core, token) => {
        const view: TriageView = await caller(() => core).value('triage.open', { triageId }, token);
        for (const [key, text] of saved) {
          const [setId = '', field = ''] = key.split(' ');
          const set = view.sets.find((s) => s.setId === setId);
          // The save after the last one reported may also have reached the disk: typing only extends.
          expect(set, key).toBeDefined();
          expect(String(set!.entries[field as keyof ObservationEntries]).startsWith(text), `${key}: ${text}`).toBe(true);
        }
        for (const setId of recorded) expect(view.sets.find((s) => s.setId === setId)?.status, setId).toBe('final');
      });
    }
    expect(recorded.size, 'no set was recorded before any kill: the test exercised too little').toBeGreaterThan(0);
    // One quiet sync: everything recorded is on the central record, and nothing in a changed form.
    await withCore(async (core, token) => {
      const { value } = caller(() => core);
      expect((await value('sync.run', {}, token)).lastFailure).toBeNull();
      const view = await value('triage.open', { triageId }, token);
      expect(view.waitingToUpload).toBe(0);
      const doc = core.store().triage.get(triageId)!.doc;
      for (const set of doc.sets.filter((s) => s.versions.length > 0)) {
        for (const id of setObservationIds(doc, set)) {
          // A push whose answer a kill cut off is sent again (same id, same content): the server may
          // keep that as another version, but every version must be the one recorded — never a change.
          const history = await sandbox.repo.raw.readHistory<Observation>('Observation', id);
          const contents = new Set((history.entry ?? []).map((e) => canonicalJson(forUpload(e.resource as unknown as Record<string, unknown>))));
          expect(history.entry?.length, id).toBeGreaterThanOrEqual(1);
          expect(contents.size, id).toBe(1);
        }
      }
      expect(doc.sets.filter((s) => s.versions.length > 0).length).toBeGreaterThanOrEqual(recorded.size);
    });
  }, 300_000);
});
