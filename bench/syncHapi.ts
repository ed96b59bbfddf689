import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalStore } from '../db/localStore';
import { seedInto } from '../sandbox/seedInto';
import { startSandbox } from '../sandbox/server';
import { LONDON_DISTRICTS } from '../sandbox/synthLists';
import { createFhirClient } from '../sync/fhirClient';
import { createSyncEngine } from '../sync/syncEngine';
import type { BenchPart, Figure } from './figures';

/**
 * Issue #17: the initial sync of 1,000 patients (the whole synthetic region, every resident) from
 * HAPI FHIR JPA on PostgreSQL, beside the same from the sandbox, same data and same page size, to
 * show where the time goes against a production server. Runs only when a HAPI base URL is given:
 * ONSCENE_BENCH_HAPI_URL or `npm run bench -- --hapi <url>` (`npm run central:hapi` starts one).
 * HAPI is seeded with the same 1,000 patients first (timed), unless ONSCENE_BENCH_HAPI_SEEDED=1.
 */
const PATIENTS = 1000;
const SEED = 1;
/** HAPI's configured maximum page size (interop/hapi application.yaml). */
const PAGE_SIZE = 500;

function hapiUrl(argv: readonly string[]): string | null {
  const at = argv.indexOf('--hapi');
  return (at >= 0 ? argv[at + 1] : undefined) ?? process.env.ONSCENE_BENCH_HAPI_URL ?? null;
}

/** One initial sync of the whole region into a fresh encrypted store; seconds, pages and requests. */
async function initialSync(baseUrl: string, bearerToken: string | undefined) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-hapi-'));
  const store = await openLocalStore({ directory: dir, key: randomBytes(32).toString('hex'), name: `bench-${path.basename(dir)}` });
  const client = createFhirClient({ baseUrl, ...(bearerToken ? { bearerToken } : {}), timeoutMs: 120_000, retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 4 } });
  const engine = createSyncEngine({
    client, store, vehicle: 'K101', area: { districts: LONDON_DISTRICTS, requireActiveCarePlan: false }, pageSize: PAGE_SIZE,
    now: () => new Date(), onStatus: () => {}, onPulled: () => {},
  });
  try {
    const t0 = performance.now();
    const status = await engine.run();
    const seconds = (performance.now() - t0) / 1000;
    if (status.lastFailure) throw new Error(`bench: initial sync from ${baseUrl} failed: ${status.lastFailure.message}`);
    return { seconds, resources: (await store.resources.count().exec()) as number, requests: client.stats().requests, bytesIn: client.stats().bytesIn };
  } finally {
    await engine.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const syncHapiBench: BenchPart = {
  name: 'syncHapi',
  async run(log) {
    const url = hapiUrl(process.argv.slice(2));
    if (!url) {
      log('sync.hapi: not run: no HAPI FHIR base URL (set ONSCENE_BENCH_HAPI_URL or pass --hapi <url>; `npm run central:hapi` starts one)');
      return [];
    }
    const figures: Figure[] = [];
    if (process.env.ONSCENE_BENCH_HAPI_SEEDED !== '1') {
      log(`seeding ${PATIENTS} patients into ${url} ...`);
      const seeded = await seedInto({ baseUrl: url, patients: PATIENTS, seed: SEED });
      figures.push({ name: 'seed.hapi_1k.s', value: seeded.ms / 1000, unit: 's', note: `${seeded.resources} resources in ${seeded.transactions} transactions` });
    }
    const sandbox = await startSandbox({ patients: PATIENTS, seed: SEED });
    try {
      log('initial sync of 1,000 patients from the sandbox ...');
      const fromSandbox = await initialSync(sandbox.baseUrl, sandbox.serviceToken);
      log('initial sync of 1,000 patients from HAPI FHIR JPA ...');
      const fromHapi = await initialSync(url, process.env.ONSCENE_BENCH_HAPI_TOKEN);
      figures.push(
        { name: 'sync.sandbox.initial_1k.s', value: fromSandbox.seconds, unit: 's', note: `${fromSandbox.resources} resources, ${fromSandbox.requests} requests, page ${PAGE_SIZE}` },
        { name: 'sync.hapi.initial_1k.s', value: fromHapi.seconds, unit: 's', note: `${fromHapi.resources} resources, ${fromHapi.requests} requests, page ${PAGE_SIZE}; HAPI also holds what else was written to it` },
        { name: 'sync.hapi.vs_sandbox', value: fromHapi.seconds / fromSandbox.seconds, unit: 'x', note: 'same data, same client, same page size' },
        // Not like for like: HAPI answers gzip in chunks (no Content-Length), so the client counts decoded bytes there.
        { name: 'sync.hapi.mb_in', value: fromHapi.bytesIn / 1e6, unit: 'MB', note: `decoded; the sandbox's ${(fromSandbox.bytesIn / 1e6).toFixed(1)} MB are compressed` },
      );
    } finally {
      await sandbox.close();
    }
    return figures;
  },
};
