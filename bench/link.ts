import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SyncStatus } from '../contract/views';
import { ALL_RECORD_TYPES } from '../core/fhirCodes';
import { openLocalStore } from '../db/localStore';
import { LINK_PROFILES, type LinkProfileName, type LinkedSandbox, profileSlug, startSandboxBehindLink } from '../sandbox/linkProxy';
import { buildIncident } from '../sandbox/synthIncidents';
import { LONDON_DISTRICTS } from '../sandbox/synthLists';
import type { AreaConfig } from '../sync/areaRules';
import { createFhirClient } from '../sync/fhirClient';
import { createSyncEngine } from '../sync/syncEngine';
import { type BenchPart, type Figure, median } from './figures';

/**
 * Issue #18 §3: OnScene on a bad road. For each link profile (sandbox/linkProxy.ts: latency,
 * bandwidth, lost segments, cuts) a fresh device does the initial sync of a 1k-patient region
 * through the link, then a vehicle that holds only its incidents is given a new incident and we
 * time how soon its patient's safety tier (resuscitation decision, alerts, allergies) is local.
 * The device is wired as the app wires it: the client's default timeout and retry policy
 * (sync/retry.ts: 5 attempts, full-jitter backoff from 500 ms) and the engine's default page size.
 */
const PATIENTS = Number(process.env.ONSCENE_BENCH_LINK_PATIENTS ?? 1000);
const REGION: AreaConfig = { districts: LONDON_DISTRICTS, requireActiveCarePlan: false };
const VEHICLE = 'K101';
/** Runs per initial sync before giving up (the edge profile cuts every 20 s; each run resumes). */
const MAX_RUNS = 60;

type Device = Readonly<{ engine: ReturnType<typeof createSyncEngine>; store: Awaited<ReturnType<typeof openLocalStore>>; close(): Promise<void> }>;

async function openDevice(baseUrl: string, area: AreaConfig | null, onStatus: (s: SyncStatus) => void): Promise<Device> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-link-'));
  const store = await openLocalStore({ directory: dir, key: randomBytes(32).toString('hex'), name: `link-${path.basename(dir)}` });
  const engine = createSyncEngine({ client: createFhirClient({ baseUrl }), store, vehicle: VEHICLE, area, now: () => new Date(), onStatus, onPulled: () => {} });
  return {
    engine,
    store,
    async close() {
      await engine.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs until a run ends without failure, waiting for the signal between runs, as the scheduler would. */
async function runToCompletion(device: Device, linked: LinkedSandbox): Promise<number> {
  for (let runs = 1; runs <= MAX_RUNS; runs++) {
    const status = await device.engine.run();
    if (!status.lastFailure) return runs;
    await linked.link.whenUp();
  }
  throw new Error(`bench: the sync over the link did not finish in ${MAX_RUNS} runs`);
}

const incidentSafety = (s: SyncStatus) => s.scopes?.find((x) => x.scope === 'incident');

/** A new incident for a patient this vehicle has never held; ms until its safety tier is local. */
async function incidentSafetyTierMs(linked: LinkedSandbox, patientId: string): Promise<number> {
  let watching = false;
  let patientsBefore = Number.POSITIVE_INFINITY;
  let doneAt = Number.NaN;
  const device = await openDevice(linked.baseUrl, null, (s) => {
    const scope = incidentSafety(s);
    if (!watching || !scope || !Number.isNaN(doneAt)) return;
    if (scope.patients > patientsBefore && scope.tiers.find((t) => t.tier === 'safety')?.isComplete) doneAt = performance.now();
  });
  try {
    await runToCompletion(device, linked); // the vehicle's existing incidents
    patientsBefore = incidentSafety(device.engine.status())?.patients ?? 0;
    const now = Date.now();
    const id = `task-bench-${now}`;
    await linked.sandbox.repo.updateResource({
      ...buildIncident({ id, incidentNumber: `CAD-2026-9${String(now % 100000).padStart(5, '0')}`, patientId, vehicle: VEHICLE, status: 'in-progress', priority: 'stat', description: 'Collapse, query cardiac arrest', authoredAtMs: now, lastModifiedAtMs: now }),
      id,
    });
    const t0 = performance.now();
    watching = true;
    await runToCompletion(device, linked);
    const held = await device.store.resources.find({ selector: { patientId } }).exec();
    if (!held.some((d) => d.toJSON().resourceType === 'Patient') || Number.isNaN(doneAt)) throw new Error('bench: the new incident patient did not arrive');
    return doneAt - t0;
  } finally {
    await device.close();
  }
}

async function measureProfile(name: LinkProfileName, log: (line: string) => void): Promise<Figure[]> {
  const profile = LINK_PROFILES[name];
  const linked = await startSandboxBehindLink({ patients: PATIENTS, seed: 1 }, profile);
  const slug = profileSlug(name);
  try {
    const device = await openDevice(linked.baseUrl, REGION, () => {});
    const t0 = performance.now();
    let runs: number;
    try {
      runs = await runToCompletion(device, linked);
    } finally {
      await device.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    const initial = linked.link.stats();
    // Three new incidents for three patients (median): one sample at the edge depends on where the cuts fall.
    const samples: number[] = [];
    for (const k of [2, 3, 5]) samples.push(await incidentSafetyTierMs(linked, `pat-${String(Math.floor(PATIENTS / k)).padStart(6, '0')}`));
    const safetyMs = median(samples);
    const desc = `${profile.rttMs} ms RTT, ${profile.bitsPerSecond / 1000} kbit/s, ${profile.dropRate * 100}% segments lost${profile.cut ? ', cut every 20 s (1 s without signal)' : ''}`;
    log(`link ${name}: initial ${PATIENTS} patients in ${seconds.toFixed(1)} s over ${runs} run(s), ${initial.bytesDown} bytes down, ${initial.cuts} cuts, ${initial.lostSegments} segments lost; new incident safety tier in ${samples.map(Math.round).join('/')} ms`);
    const target = name === '3G poor' ? '; target <= 5000' : name === 'edge of coverage' ? '; target <= 15000' : '';
    return [
      { name: `sync.link.${slug}.initial_1k.s`, value: Number(seconds.toFixed(2)), unit: 's', note: `initial sync of ${PATIENTS} patients (whole region, ${['Patient', ...ALL_RECORD_TYPES].length} types) through the link (${desc}); ${runs} run(s), each resuming from its checkpoints` },
      { name: `sync.link.${slug}.bytes_per_patient`, value: Math.round(initial.bytesDown / PATIENTS), unit: 'bytes', note: `server-to-device bytes through the link during the initial sync (HTTP headers and gzip bodies, re-sends after cuts included) / ${PATIENTS}; the synthetic record gzips about 28:1, real records far less, so this is a lower bound` },
      { name: `sync.link.${slug}.bytes_up_per_patient`, value: Math.round(initial.bytesUp / PATIENTS), unit: 'bytes', note: 'device-to-server bytes (requests) during the same sync / patients' },
      { name: `sync.link.${slug}.incident_safety_tier.ms`, value: Math.round(safetyMs), unit: 'ms', note: `a vehicle holding only its incidents: from a new incident Task being on the server (and a run starting) to the incident scope's safety tier complete for its patient (resuscitation decision, alerts, allergies local); median of 3 incidents (${samples.map(Math.round).join('/')} ms); excludes the wait for the next scheduled pull${target}` },
    ];
  } finally {
    await linked.close();
  }
}

export const linkBench: BenchPart = {
  name: 'link',
  async run(log) {
    const figures: Figure[] = [];
    for (const name of Object.keys(LINK_PROFILES) as LinkProfileName[]) figures.push(...(await measureProfile(name, log)));
    return figures;
  },
};
