import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderAuditEvent, splitFact } from '../core/auditEntry';
import { openLocalStore } from '../db/localStore';
import { LONDON_DISTRICTS } from '../sandbox/synthLists';
import { type FhirClient, createFhirClient } from '../sync/fhirClient';
import { createSyncEngine } from '../sync/syncEngine';
import { type BenchPart, type Figure, median } from './figures';
import { type SandboxProcess, startSandboxProcess } from './syncSandboxProcess';

/**
 * Issue #18 §4: the fleet, modelled. A central record serves every vehicle of a service, so we
 * measure what one OnScene device asks of it per hour and how the sandbox answers 100 and 500
 * devices at once.
 *
 * The request pattern is OnScene's own, recorded rather than guessed: one real device (real
 * engine, real encrypted store) syncs the region, then one incremental run with nothing new is
 * recorded request by request (probe, each type's `_lastUpdated` search and `_history`, each
 * from its checkpoint). Simulated devices replay that cycle with their own cursors through the
 * real FhirClient (its retry and backoff, sync/retry.ts), every 30 s (the app's pull interval),
 * plus an audit upload (a transaction Bundle of PUT AuditEvents, as sync/auditUpload.ts sends)
 * and a push (a transaction of one Encounter and its vital-signs Observations) at the rates below.
 * Their starts are spread over the first interval, as vehicles' clocks are.
 */
const PATIENTS = Number(process.env.ONSCENE_BENCH_FLEET_PATIENTS ?? 2000);
const PULL_INTERVAL_MS = 30_000;
/** Simulated time per load level: two pull intervals after the starts are spread over the first. */
const WINDOW_MS = Number(process.env.ONSCENE_BENCH_FLEET_WINDOW_MS ?? 75_000);
/** Audit entries a crew writes per hour (record opens, lists, searches: ~1 job/hour with several views each). */
const AUDIT_PER_HOUR = 60;
/** Triage pushes per hour (one patient contact, a few saves). */
const PUSHES_PER_HOUR = 4;
const FLEET_SIZES = [100, 500] as const;

type Recorded = Readonly<{ method: string; url: string }>;

/** Records the URLs of the requests `work` makes through global fetch (observed, not altered). */
async function recordRequests<T>(work: () => Promise<T>): Promise<{ value: T; requests: Recorded[] }> {
  const original = globalThis.fetch;
  const requests: Recorded[] = [];
  globalThis.fetch = (input, init) => {
    requests.push({ method: init?.method ?? 'GET', url: String(input instanceof Request ? input.url : input) });
    return original(input, init);
  };
  try {
    return { value: await work(), requests };
  } finally {
    globalThis.fetch = original;
  }
}

/** One real device: initial sync of the whole region, then one recorded incremental run with nothing new. */
async function recordCycle(baseUrl: string): Promise<Recorded[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-fleet-'));
  const store = await openLocalStore({ directory: dir, key: randomBytes(32).toString('hex'), name: 'fleet-recorder' });
  const engine = createSyncEngine({
    client: createFhirClient({ baseUrl, timeoutMs: 60_000 }),
    store,
    vehicle: 'K101',
    area: { districts: LONDON_DISTRICTS, requireActiveCarePlan: false },
    now: () => new Date(),
    onStatus: () => {},
    onPulled: () => {},
  });
  try {
    const first = await engine.run();
    if (first.lastFailure) throw new Error(`fleet: the recording device's initial sync failed (${first.lastFailure.reason})`);
    const { value, requests } = await recordRequests(() => engine.run());
    if (value.lastFailure) throw new Error('fleet: the recorded incremental run failed');
    return requests.filter((r) => r.method === 'GET');
  } finally {
    await engine.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The recorded URL with this device's cursor: the time of its previous cycle. */
function withCursor(url: string, sinceIso: string): string {
  const u = new URL(url);
  if (u.searchParams.has('_lastUpdated')) u.searchParams.set('_lastUpdated', `ge${sinceIso}`);
  if (u.searchParams.has('_since')) u.searchParams.set('_since', sinceIso);
  return u.toString();
}

function auditBundle(baseUrl: string, device: number, count: number): Record<string, unknown> {
  const entry = Array.from({ length: count }, (_, i) => {
    const eventId = randomUUID();
    const { index, detailsJson } = splitFact(
      {
        action: 'record.open', recordedAt: new Date().toISOString(), userId: `crew-${device}`, practitionerId: `prac-${device}`, role: 'paramedic',
        organizationId: 'org-ambulance', deviceId: `onscene-fleet-${device}`, appVersion: '0.1.0', patientId: `pat-${String(i + 1).padStart(6, '0')}`,
        patientNhsNumber: '9990000018', purpose: `incident task-${device}`, outcome: 'success', isOffline: false, lastServerTimeAt: new Date().toISOString(), clockOffsetMs: 0,
      },
      eventId,
    );
    const event = renderAuditEvent(index, detailsJson, { seq: i + 1, prevHash: '0'.repeat(64), hash: '1'.repeat(64) });
    return { fullUrl: `${baseUrl}/AuditEvent/${eventId}`, resource: { ...event, id: eventId }, request: { method: 'PUT', url: `AuditEvent/${eventId}` } };
  });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

function pushBundle(device: number): Record<string, unknown> {
  const encounterId = randomUUID();
  const subject = { reference: 'Patient/pat-000001' };
  const vitals = ['8867-4', '9279-1', '59408-5', '8480-6', '8462-4', '8310-5'].map((code, i) => ({
    resourceType: 'Observation', id: randomUUID(), status: 'final', subject, encounter: { reference: `Encounter/${encounterId}` },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code }] }, effectiveDateTime: new Date().toISOString(), valueQuantity: { value: 60 + i, unit: '1' },
  }));
  const encounter = { resourceType: 'Encounter', id: encounterId, status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'FLD' }, subject, serviceProvider: { display: `Fleet ${device}` } };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [encounter, ...vitals].map((r) => ({ resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id}` } })),
  };
}

type LoadResult = Readonly<{ latenciesMs: number[]; requests: number; bytesIn: number; bytesOut: number; cycles: number; failures: number; retries: number }>;

/** `devices` simulated devices for WINDOW_MS, each on its own FhirClient (own retries, own connection pool share). */
async function runFleet(sandbox: SandboxProcess, cycle: readonly Recorded[], devices: number): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let cycles = 0;
  let failures = 0;
  const clients: FhirClient[] = [];
  const startedAt = performance.now();
  const endAt = startedAt + WINDOW_MS;
  const timed = async <T>(work: () => Promise<T>): Promise<void> => {
    const t0 = performance.now();
    try {
      const result = await work();
      latenciesMs.push(performance.now() - t0);
      // A refused transaction is an answer, but not the one a device needs: count it as a failure.
      if ((result as { isOk?: boolean } | null)?.isOk === false) failures++;
    } catch {
      failures++;
    }
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  const auditPerCycle = (AUDIT_PER_HOUR * PULL_INTERVAL_MS) / 3_600_000;
  const pushPerCycle = (PUSHES_PER_HOUR * PULL_INTERVAL_MS) / 3_600_000;
  await Promise.all(
    Array.from({ length: devices }, async (_, d) => {
      const client = createFhirClient({ baseUrl: sandbox.baseUrl, bearerToken: sandbox.serviceToken, timeoutMs: 60_000 });
      clients.push(client);
      await sleep(Math.random() * PULL_INTERVAL_MS);
      let since = new Date(Date.now() - PULL_INTERVAL_MS).toISOString();
      let auditOwed = 0;
      let pushOwed = Math.random();
      while (performance.now() < endAt) {
        const cycleStart = performance.now();
        const nextSince = new Date().toISOString();
        for (const request of cycle) {
          // The run's first request is the engine's probe (the CapabilityStatement), not a search page.
          await timed((): Promise<unknown> => (request.url.includes('/metadata') ? client.probe() : client.page(withCursor(request.url, since))));
        }
        auditOwed += auditPerCycle;
        if (auditOwed >= 1) {
          const count = Math.floor(auditOwed);
          auditOwed -= count;
          await timed(() => client.transaction(auditBundle(sandbox.baseUrl, d, count)));
        }
        pushOwed += pushPerCycle;
        if (pushOwed >= 1) {
          pushOwed -= 1;
          await timed(() => client.transaction(pushBundle(d)));
        }
        since = nextSince;
        cycles++;
        // The scheduler waits the interval from the start of a run; a run longer than it starts the next at once.
        await sleep(PULL_INTERVAL_MS - (performance.now() - cycleStart));
      }
    }),
  );
  const totals = clients.map((c) => c.stats());
  return {
    latenciesMs,
    cycles,
    failures,
    requests: totals.reduce((a, s) => a + s.requests, 0),
    retries: totals.reduce((a, s) => a + s.retries, 0),
    bytesIn: totals.reduce((a, s) => a + s.bytesIn, 0),
    bytesOut: totals.reduce((a, s) => a + s.bytesOut, 0),
  };
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))] ?? Number.NaN;
};

export const fleetBench: BenchPart = {
  name: 'fleet',
  async run(log) {
    const sandbox = await startSandboxProcess(PATIENTS);
    try {
      const cycle = await recordCycle(sandbox.baseUrl);
      log(`fleet: one incremental cycle is ${cycle.length} GET requests (recorded from a real device)`);
      const figures: Figure[] = [];
      let perHour: { requests: number; bytesIn: number; bytesOut: number } | null = null;
      for (const devices of FLEET_SIZES) {
        const cpu0 = sandbox.cpuSeconds();
        const t0 = performance.now();
        const result = await runFleet(sandbox, cycle, devices);
        const seconds = (performance.now() - t0) / 1000;
        const serverShare = (sandbox.cpuSeconds() - cpu0) / seconds;
        const p95 = percentile(result.latenciesMs, 0.95);
        const hoursPerCycle = PULL_INTERVAL_MS / 3_600_000;
        const deviceHours = result.cycles * hoursPerCycle;
        perHour ??= { requests: result.requests / deviceHours, bytesIn: result.bytesIn / deviceHours, bytesOut: result.bytesOut / deviceHours };
        log(`fleet ${devices}: ${result.cycles} cycles, ${result.requests} requests (${result.retries} retries, ${result.failures} failed) in ${seconds.toFixed(0)} s = ${(result.requests / seconds).toFixed(0)} req/s; p50 ${percentile(result.latenciesMs, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; sandbox CPU ${(serverShare * 100).toFixed(0)}% of one core`);
        figures.push(
          { name: `fleet.${devices}_devices.p95.ms`, value: Number(p95.toFixed(1)), unit: 'ms', note: `p95 of every request as the devices saw it (retries included), ${devices} simulated devices against the sandbox (its own process, ${PATIENTS} patients) for ${WINDOW_MS / 1000} s; median ${median(result.latenciesMs).toFixed(1)} ms; ${result.failures} requests failed after retries` },
          { name: `fleet.${devices}_devices.requests_per_s`, value: Number((result.requests / seconds).toFixed(1)), unit: 'req/s', note: `what the sandbox served; ${result.retries} retries; sandbox CPU ${(serverShare * 100).toFixed(0)}% of one core` },
          { name: `fleet.${devices}_devices.cycle_ratio`, value: Number((result.cycles / ((devices * WINDOW_MS) / PULL_INTERVAL_MS)).toFixed(3)), unit: 'fraction', note: 'cycles done / cycles a device on time would do (1 = every device pulled every 30 s; below 1 = the server is too slow for the fleet)' },
        );
      }
      if (perHour) {
        figures.push(
          { name: 'fleet.requests_per_device_hour', value: Math.round(perHour.requests), unit: 'requests', note: `one device: a ${cycle.length}-request incremental pull every 30 s, ${AUDIT_PER_HOUR} audit entries/h uploaded in transaction Bundles each cycle, ${PUSHES_PER_HOUR} triage pushes/h; measured at ${FLEET_SIZES[0]} devices` },
          { name: 'fleet.bytes_in_per_device_hour', value: Math.round(perHour.bytesIn), unit: 'bytes', note: 'server to device (gzip bodies as declared), same load; a quiet record: only the fleet\'s own pushes change it' },
          { name: 'fleet.bytes_out_per_device_hour', value: Math.round(perHour.bytesOut), unit: 'bytes', note: 'device to server request bodies (audit and push Bundles; GETs have none), same load' },
        );
      }
      figures.push(...(await stormFigures(sandbox, log)));
      return figures;
    } finally {
      await sandbox.close();
    }
  },
};

async function setFault(sandbox: SandboxProcess, spec: Record<string, unknown> | null): Promise<void> {
  const origin = new URL(sandbox.baseUrl).origin;
  await fetch(`${origin}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec ?? { mode: 'none' }) });
}

/**
 * A load-shedding storm: 200 devices regain signal at the same instant and each asks for one page
 * while the server answers the first 600 requests with 503 (then with 429 + Retry-After: 2).
 * Every attempt's send time is recorded; synchronised retries show as a peak near the device count
 * in one 100 ms window after the first.
 */
async function stormFigures(sandbox: SandboxProcess, log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const devices = 200;
  for (const [label, spec] of [
    ['503', { mode: 'status', status: 503, count: 3 * devices }],
    ['429_retry_after_2s', { mode: 'status', status: 429, retryAfterS: 2, count: devices }],
  ] as const) {
    await setFault(sandbox, spec);
    const sends: number[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      sends.push(performance.now());
      return original(input, init);
    };
    const t0 = performance.now();
    let failed = 0;
    try {
      await Promise.all(
        Array.from({ length: devices }, async () => {
          const client = createFhirClient({ baseUrl: sandbox.baseUrl, timeoutMs: 60_000 });
          await client.page('Patient?_count=10').catch(() => failed++);
        }),
      );
    } finally {
      globalThis.fetch = original;
      await setFault(sandbox, null);
    }
    const recoveredS = (performance.now() - t0) / 1000;
    const retries = sends.filter((t) => t - t0 > 50);
    const windows = new Map<number, number>();
    for (const t of retries) windows.set(Math.floor((t - t0) / 100), (windows.get(Math.floor((t - t0) / 100)) ?? 0) + 1);
    const peak = Math.max(0, ...windows.values());
    log(`storm ${label}: ${sends.length} attempts from ${devices} devices, peak ${peak} retries in one 100 ms window, all served after ${recoveredS.toFixed(1)} s, ${failed} gave up`);
    figures.push(
      { name: `fleet.storm_${label}.peak_retries_per_100ms`, value: peak, unit: 'requests', note: `${devices} devices at once against a server shedding load (${JSON.stringify(spec)}): most retries landing in any 100 ms window after the first burst; ${devices} would mean lockstep` },
      { name: `fleet.storm_${label}.recovered.s`, value: Number(recoveredS.toFixed(2)), unit: 's', note: `until every device had its page or gave up (${failed} gave up after 5 attempts); default retry policy (sync/retry.ts)` },
      { name: `fleet.storm_${label}.attempts_per_device`, value: Number((sends.length / devices).toFixed(2)), unit: 'requests', note: 'attempts per device during the storm' },
    );
  }
  return figures;
}
