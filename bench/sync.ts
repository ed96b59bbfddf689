import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SyncStatus } from '../contract/views';
import { ALL_RECORD_TYPES } from '../core/fhirCodes';
import { type LocalStore, openLocalStore } from '../db/localStore';
import type { AreaConfig } from '../sync/areaRules';
import { createFhirClient } from '../sync/fhirClient';
import { LONDON_DISTRICTS } from '../sandbox/synthLists';
import { type SyncEngine, createSyncEngine } from '../sync/syncEngine';
import type { BenchPart, Figure } from './figures';
import { floorSync } from './syncFloor';
import { type SandboxProcess, startSandboxProcess } from './syncSandboxProcess';

/**
 * Issue #6 benchmark: initial sync of the whole synthetic region (10k patients) against a floor
 * measured in the same run, an incremental sync after 1% changes, bytes, a drop at 50% then
 * resume, and how soon the incident patients' safety tier is local. The sandbox runs in its own
 * process so the server's share of the time is reported beside the client's.
 */
const PATIENTS = Number(process.env.ONSCENE_BENCH_SYNC_PATIENTS ?? 10_000);
const PAGE_SIZE = 1000;
/** The whole region: every district the synthetic record uses, every resident. */
const REGION: AreaConfig = { districts: LONDON_DISTRICTS, requireActiveCarePlan: false };
/** What the area scope reads (sync/areaScope.ts): the Patient and every type of the record (issue #11 added several). */
const AREA_TYPES = ['Patient', ...ALL_RECORD_TYPES];

type Device = Readonly<{ store: LocalStore; engine: SyncEngine; statuses: SyncStatus[]; close(): Promise<void> }>;

async function openDevice(baseUrl: string, onStatus?: (s: SyncStatus) => void): Promise<Device> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-sync-'));
  const store = await openLocalStore({ directory: dir, key: randomBytes(32).toString('hex'), name: `bench-${path.basename(dir)}` });
  const statuses: SyncStatus[] = [];
  const engine = createSyncEngine({
    client: createFhirClient({ baseUrl, timeoutMs: 60_000, retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 4 } }),
    store,
    vehicle: 'K101',
    area: REGION,
    pageSize: PAGE_SIZE,
    now: () => new Date(),
    onStatus: (s) => {
      statuses.push(s);
      onStatus?.(s);
    },
    onPulled: () => {},
  });
  return {
    store,
    engine,
    statuses,
    async close() {
      await engine.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Times `work` and the server's CPU seconds during it. */
async function measured<T>(sandbox: SandboxProcess, work: () => Promise<T>): Promise<{ value: T; ms: number; serverShare: number }> {
  const cpu0 = sandbox.cpuSeconds();
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  return { value, ms, serverShare: ((sandbox.cpuSeconds() - cpu0) * 1000) / ms };
}

/** Changes `fraction` of the synced resources on the server, as the rest of the region would (HTTP transactions). */
async function changeOnServer(baseUrl: string, serviceToken: string, device: Device, fraction: number): Promise<number> {
  const docs = await device.store.resources.find({ selector: { resourceType: { $in: AREA_TYPES } } }).exec();
  const every = Math.round(1 / fraction);
  const chosen = docs.filter((_, i) => i % every === 0).map((d) => d.toJSON().resource as Record<string, unknown> & { resourceType: string; id: string });
  for (let i = 0; i < chosen.length; i += 250) {
    const entry = chosen.slice(i, i + 250).map((r) => {
      const { meta: _meta, ...rest } = r;
      return { resource: { ...rest, language: 'en-GB' }, request: { method: 'PUT', url: `${r.resourceType}/${r.id}` } };
    });
    const response = await fetch(baseUrl, { method: 'POST', headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${serviceToken}` }, body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }) });
    if (!response.ok) throw new Error(`bench: changing the record failed (${response.status})`);
  }
  return chosen.length;
}

const safetyTierMs = (statuses: readonly SyncStatus[], times: readonly number[], start: number): number => {
  const at = statuses.findIndex((s) => s.scopes?.find((x) => x.scope === 'incident')?.tiers.find((t) => t.tier === 'safety')?.isComplete);
  return at < 0 ? Number.NaN : (times[at] as number) - start;
};

async function initialAndIncremental(sandbox: SandboxProcess, log: (line: string) => void, floorMs: number): Promise<Figure[]> {
  const times: number[] = [];
  const device = await openDevice(sandbox.baseUrl, () => times.push(performance.now()));
  const start = performance.now();
  const initial = await measured(sandbox, () => device.engine.run());
  if (initial.value.lastFailure) throw new Error(`bench: initial sync failed (${initial.value.lastFailure.reason})`);
  const run = device.engine.lastRun();
  const bytesInitial = device.engine.clientStats().bytesIn;
  const resources = await device.store.resources.count().exec();
  log(`ours: ${resources} resources in ${Math.round(initial.ms)} ms (${run?.stats.pages} pages), server share ${(initial.serverShare * 100).toFixed(0)}%`);
  const changed = await changeOnServer(sandbox.baseUrl, sandbox.serviceToken, device, 0.01);
  const incremental = await measured(sandbox, () => device.engine.run());
  const bytesIncremental = device.engine.clientStats().bytesIn - bytesInitial;
  log(`incremental after ${changed} changes: ${Math.round(incremental.ms)} ms, ${device.engine.lastRun()?.stats.resources} resources pulled`);
  await device.close();
  return [
    { name: 'sync.initial.10k.ms', value: Math.round(initial.ms), unit: 'ms', note: `${PATIENTS} patients, ${resources} resources, _count=${PAGE_SIZE}` },
    { name: 'sync.initial.10k.ratio_vs_floor', value: initial.ms / floorMs, unit: 'x', note: 'target <= 1.5' },
    { name: 'sync.initial.10k.server_share', value: initial.serverShare, unit: 'fraction', note: 'sandbox CPU time / wall time' },
    { name: 'sync.initial.10k.bytes', value: bytesInitial, unit: 'bytes', note: 'gzip on the wire' },
    { name: 'sync.incident.safety_tier.ms', value: Math.round(safetyTierMs(device.statuses, times, start)), unit: 'ms', note: 'signal to incident safety tier local; target <= 1000' },
    { name: 'sync.incremental.1pct.ms', value: Math.round(incremental.ms), unit: 'ms', note: `${changed} resources changed` },
    { name: 'sync.incremental.1pct.resources', value: device.engine.lastRun()?.stats.resources ?? -1, unit: 'resources' },
    { name: 'sync.incremental.1pct.bytes', value: bytesIncremental, unit: 'bytes' },
    { name: 'sync.incremental.1pct.server_share', value: incremental.serverShare, unit: 'fraction' },
  ];
}

async function dropAndResume(sandbox: SandboxProcess, log: (line: string) => void): Promise<Figure[]> {
  let isDropped = false;
  const device = await openDevice(sandbox.baseUrl, (s) => {
    // The signal goes at half the region's observations (the biggest type), mid-page-stream.
    const m = /Area caseload: observations: (\d+) of (\d+)/.exec(s.progress.phase);
    if (!isDropped && m && Number(m[1]) * 2 >= Number(m[2])) {
      isDropped = true;
      void sandbox.setOffline(true);
    }
  });
  const first = await device.engine.run();
  await sandbox.setOffline(false);
  const resumed = await measured(sandbox, () => device.engine.run());
  const stats = device.engine.lastRun()?.stats;
  log(`drop: first run ${first.state}, resumed in ${Math.round(resumed.ms)} ms, ${stats?.duplicates} resources re-sent`);
  await device.close();
  if (!isDropped || first.state !== 'offline' || resumed.value.lastFailure) throw new Error('bench: the drop-and-resume scenario did not run as planned');
  return [
    { name: 'sync.resume.resent_batches', value: (stats?.duplicates ?? 0) / PAGE_SIZE, unit: 'batches', note: 'resources received twice / page size; target <= 1' },
    { name: 'sync.resume.resent_resources', value: stats?.duplicates ?? -1, unit: 'resources' },
    { name: 'sync.resume.ms', value: Math.round(resumed.ms), unit: 'ms', note: 'the second half, after the drop' },
  ];
}

export const syncBench: BenchPart = {
  name: 'sync',
  async run(log) {
    const t0 = performance.now();
    const sandbox = await startSandboxProcess(PATIENTS);
    log(`sandbox with ${PATIENTS} patients up in ${Math.round(performance.now() - t0)} ms`);
    try {
      const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-floor-'));
      const floor = await measured(sandbox, () => floorSync(sandbox.baseUrl, AREA_TYPES, PAGE_SIZE, floorDir));
      fs.rmSync(floorDir, { recursive: true, force: true });
      log(`floor: ${floor.value.resources} resources in ${Math.round(floor.ms)} ms (${floor.value.pages} pages), server share ${(floor.serverShare * 100).toFixed(0)}%`);
      const figures: Figure[] = [
        { name: 'sync.floor.10k.ms', value: Math.round(floor.ms), unit: 'ms', note: 'plain fetch + raw better-sqlite3, same pages' },
        { name: 'sync.floor.10k.server_share', value: floor.serverShare, unit: 'fraction' },
        { name: 'sync.floor.10k.bytes', value: floor.value.bytes, unit: 'bytes' },
      ];
      figures.push(...(await initialAndIncremental(sandbox, log, floor.ms)));
      figures.push(...(await dropAndResume(sandbox, log)));
      return figures;
    } finally {
      await sandbox.close();
    }
  },
};
