/**
 * Before/after figures for the sandbox indexes (run by hand, not in CI):
 *   node --experimental-websocket --import tsx sandbox/measure.ts [patients]
 * Compares Medplum's MemoryRepository alone with the indexed SandboxRepository on the searches
 * sync makes, then walks a whole type over HTTP following `next` links.
 */
import { parseSearchRequest, type SearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from './definitions';
import { generateDataset } from './generate';
import { SandboxRepository } from './sandboxRepository';
import { startSandbox } from './server';

const QUERIES = [
  'Observation?_lastUpdated=ge2026-06-01T10:00:00Z&_sort=_lastUpdated&_count=1000',
  'MedicationStatement?patient=Patient/pat-000500',
  'Task?owner=Device/vehicle-K101&status=ready,in-progress',
  'Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9991392955',
];

async function timeSearch(search: (r: SearchRequest) => Promise<Bundle>, query: string, runs: number): Promise<string> {
  await search(parseSearchRequest(query)); // warm up
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await search(parseSearchRequest(query));
  return `${((performance.now() - t0) / runs).toFixed(1)} ms`;
}

async function walk(baseUrl: string, first: string): Promise<{ pages: number; resources: number; ms: number }> {
  const t0 = performance.now();
  let url: string | undefined = `${baseUrl}/${first}`;
  let pages = 0;
  let resources = 0;
  while (url) {
    const bundle = (await (await fetch(url, { headers: { 'accept-encoding': 'gzip' } })).json()) as Bundle;
    pages++;
    resources += bundle.entry?.length ?? 0;
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return { pages, resources, ms: Math.round(performance.now() - t0) };
}

async function main(): Promise<void> {
  const patients = Number(process.argv[2] ?? 10_000);
  loadFhirDefinitions();
  const data = generateDataset({ patients, seed: 1 });
  const medplum = new MemoryRepository();
  let t0 = performance.now();
  await medplum.withSeeding(async () => {
    for (const r of data) await medplum.createResource(r);
  });
  console.log(`patients ${patients}, resources ${data.length}; MemoryRepository seed ${Math.round(performance.now() - t0)} ms`);
  const indexed = new SandboxRepository();
  t0 = performance.now();
  await indexed.seed(data);
  console.log(`SandboxRepository seed ${Math.round(performance.now() - t0)} ms, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB (both repos)`);
  for (const q of QUERIES) {
    const before = await timeSearch((r) => medplum.search(r), q, q.startsWith('Observation') ? 2 : 5);
    const after = await timeSearch((r) => indexed.search(r), q, 20);
    console.log(`${q}\n  Medplum MemoryRepository: ${before}   indexed: ${after}`);
  }
  const sandbox = await startSandbox({ patients, seed: 1 });
  console.log(`startSandbox: generate ${Math.round(sandbox.stats.generateMs)} ms, seed ${Math.round(sandbox.stats.seedMs)} ms`);
  const w = await walk(sandbox.baseUrl, 'Observation?_lastUpdated=ge2026-01-01&_sort=_lastUpdated&_count=1000');
  console.log(`HTTP walk of all Observations: ${w.resources} resources, ${w.pages} pages, ${w.ms} ms (${(w.ms / w.pages).toFixed(1)} ms/page, gzip)`);
  await sandbox.close();
}

await main();
