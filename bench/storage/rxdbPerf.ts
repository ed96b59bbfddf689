import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSQLite } from '../../db/storage/index';
import type { Figure } from '../figures';
import { STORE_CACHE_KIB } from '../syncFloor';
import { loadRunPerformanceTests } from './rxdbTestUtils';

/** A random-looking 256-bit hex data key, as the app passes one (never a memorable passphrase). */
const APP_LIKE_KEY = '5e'.repeat(32);

/**
 * RxDB's published figures for its paid SQLite storage on Node (ms), by what each line measures.
 * RxDB 17.6's `runPerformanceTests` names the bulk insert line after one batch
 * (`insert-documents-${docsAmount / insertBatches}` = `insert-documents-500`); the published
 * table calls it "insert-documents-3000" (bulk insert).
 */
const PUBLISHED_SQLITE_MS: Readonly<Record<string, number>> = {
  'time-to-first-insert': 5.2,
  'insert-documents': 8.62,
  'find-by-ids': 26.41,
  'serial-inserts': 10.84,
  'serial-find-by-id': 2.67,
  'find-by-query': 19.68,
  'find-by-query-parallel': 20.38,
  '4x-count': 2.01,
};

/** RxDB's key without its amount suffix: `insert-documents-500` → `insert-documents`. */
function publishedFor(key: string): number | undefined {
  return PUBLISHED_SQLITE_MS[key] ?? PUBLISHED_SQLITE_MS[key.replace(/-\d+$/, '')];
}

export type RxdbPerfOptions = Readonly<{ runs: number; isQuick: boolean }>;

type Row = Readonly<{ key: string; ours: number; memory: number | undefined; published: number | undefined }>;

function timingsOf(result: Readonly<Record<string, number | string>>): Map<string, number> {
  const skip = new Set(['description', 'collectionsAmount', 'docsAmount']);
  const out = new Map<string, number>();
  for (const [key, value] of Object.entries(result)) {
    if (!skip.has(key) && typeof value === 'number') out.set(key, value);
  }
  return out;
}

/**
 * Part 1 of the storage bench: RxDB's own `runPerformanceTests` (3,000 documents, 40 runs by
 * default) on our storage as the app opens it (keyed, 64 MiB cache), on an unkeyed file for
 * reference, and on RxDB's memory storage.
 */
export async function runRxdbPerf(log: (line: string) => void, options: RxdbPerfOptions): Promise<Figure[]> {
  const runPerformanceTests = await loadRunPerformanceTests();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-rxdb-'));
  const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-rxdb-plain-'));
  const config = { runs: options.runs, log: false };
  const runsNote = options.isQuick ? `${options.runs} runs (ONSCENE_BENCH_QUICK=1; default 40)` : `${options.runs} runs`;
  try {
    let t0 = performance.now();
    // As the app opens it (db/localStore.ts): keyed (default cipher AEGIS-256), 64 MiB page cache.
    // RxDB types runPerformanceTests for RxStorage<any, any>; ours is a concrete RxStorage.
    const appStorage = getRxStorageSQLite({ directory: dir, key: APP_LIKE_KEY, cacheSizeKiB: STORE_CACHE_KIB });
    const ours = timingsOf(await runPerformanceTests(appStorage as RxStorage<unknown, unknown>, 'onscene-sqlite', config));
    log(`rxdb benchmark on onscene-sqlite (keyed file, as the app): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    const unkeyed = timingsOf(await runPerformanceTests(getRxStorageSQLite({ directory: plainDir }) as RxStorage<unknown, unknown>, 'onscene-sqlite-unkeyed', config));
    log(`rxdb benchmark on onscene-sqlite (unkeyed file, reference): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    const memory = timingsOf(await runPerformanceTests(getRxStorageMemory(), 'memory', config));
    log(`rxdb benchmark on memory: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const rows: Row[] = [...ours].map(([key, value]) => ({ key, ours: value, memory: memory.get(key), published: publishedFor(key) }));
    log(`${'RxDB line'.padEnd(26)} ${'ours'.padStart(8)} ${'memory'.padStart(8)} ${'paid SQLite'.padStart(12)}`);
    for (const row of rows) {
      const published = row.published === undefined ? '—' : row.published.toFixed(2);
      const verdict = row.published === undefined ? '' : row.ours <= row.published ? '  met' : '  MISSED';
      log(`${row.key.padEnd(26)} ${row.ours.toFixed(2).padStart(8)} ${(row.memory?.toFixed(2) ?? '—').padStart(8)} ${published.padStart(12)}${verdict}`);
    }
    const figures: Figure[] = [];
    for (const row of rows) {
      const note = row.published === undefined
        ? `RxDB publishes no paid-SQLite figure for this line; ${runsNote}`
        : `RxDB paid SQLite storage (Node) published ${row.published} ms; ${runsNote}`;
      figures.push({ name: `storage.rxdb.${row.key}.ms`, value: row.ours, unit: 'ms', note: `onscene-sqlite, keyed file as the app opens it (AEGIS-256, 64 MiB cache); ${note}` });
      const plain = unkeyed.get(row.key);
      if (plain !== undefined) figures.push({ name: `storage.rxdb_unkeyed.${row.key}.ms`, value: plain, unit: 'ms', note: `reference: onscene-sqlite on an unkeyed file, default cache; ${note}` });
      if (row.memory !== undefined) {
        figures.push({ name: `storage.rxdb_memory.${row.key}.ms`, value: row.memory, unit: 'ms', note: `RxDB memory storage; ${note}` });
      }
    }
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(plainDir, { recursive: true, force: true });
  }
}
