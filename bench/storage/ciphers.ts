import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from '../figures';
import { openRawStore, openRxdbStore, type BenchStore, type StoreOptions } from './stores';
import { medianMs, timedInsert, timedReads, type ReadPlan, type ReadResult } from './workload';

/** The cipher db/storage/README.md chooses against the threat model (see "Cipher choice" there). */
export const CHOSEN_CIPHER = 'chacha20';

/** Measured ciphers: the storage default, SQLCipher's scheme, AES-256-CBC without a MAC, and AEGIS. */
const CIPHERS = ['chacha20', 'sqlcipher', 'aes256cbc', 'aegis'] as const;

const CIPHER_NOTES: Readonly<Record<string, string>> = {
  chacha20: 'ChaCha20-Poly1305 (sqleet scheme), authenticated',
  sqlcipher: 'SQLCipher v4 scheme: AES-256-CBC + HMAC-SHA512, authenticated',
  aes256cbc: 'wxSQLite3 AES-256-CBC, no MAC (confidentiality only)',
  aegis: 'AEGIS, authenticated',
};

/** A 256-bit key as hex text: the app passes a random data key, not a memorable passphrase. */
const BENCH_KEY = 'a3'.repeat(32);

/**
 * Large enough for the whole 100k-document file (about 200 MB), so "warm" means no page is
 * read or decrypted twice; a negative cache_size is KiB.
 */
export const WORKING_SET_CACHE_KIB = 320 * 1024;

const READS: ReadPlan = { findByIdBatches: 0, findByIdBatchSize: 0, rangeQueries: 25, patientQueries: 25, counts: 0, changesPasses: 0 };

type Config = Readonly<{ label: string; cipher?: string; dir: string }>;

function storeOptions(config: Config, cacheSizeKiB: number): StoreOptions {
  return {
    directory: config.dir,
    cacheSizeKiB,
    ...(config.cipher === undefined ? {} : { key: BENCH_KEY, cipher: config.cipher }),
  };
}

function fileMiB(dir: string): number {
  let bytes = 0;
  for (const name of fs.readdirSync(dir)) bytes += fs.statSync(path.join(dir, name)).size;
  return bytes / 1024 / 1024;
}

const totalMs = (result: ReadResult | undefined) => (result?.ms ?? []).reduce((a, b) => a + b, 0);

/** Warm reads: the same reads three more times after a cold pass, samples pooled per store. */
async function warmReads(stores: readonly BenchStore[], total: number): Promise<Map<string, ReadResult[]>> {
  const pooled = new Map<string, ReadResult[]>();
  for (let pass = 0; pass < 3; pass++) {
    for (const [op, perStore] of await timedReads(stores, total, READS)) {
      const into = pooled.get(op) ?? stores.map(() => ({ ms: [], results: [] }));
      pooled.set(op, into);
      perStore.forEach((r, s) => (into[s] as ReadResult).ms.push(...r.ms));
    }
  }
  return pooled;
}

/**
 * Raw level: the hand-written table of the floor, opened through the storage's openConnection
 * (its keying, WAL, synchronous=FULL), page cache sized for the working set. Reads run
 * interleaved across all files: first right after reopening (cold: every page read from the OS
 * and decrypted), then the same reads again (warm: served from SQLite's page cache).
 */
async function rawLevel(log: (line: string) => void, total: number, configs: readonly Config[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const stores: BenchStore[] = [];
  const openMs: number[] = [];
  try {
    for (const config of configs) stores.push(openRawStore(storeOptions(config, WORKING_SET_CACHE_KIB)));
    const insertMs = await timedInsert(stores, total);
    for (const [i, config] of configs.entries()) {
      log(`cipher ${config.label.padEnd(9)} insert ${total}: ${(insertMs[i] ?? NaN).toFixed(0)} ms, file ${fileMiB(config.dir).toFixed(0)} MiB`);
    }
    for (const store of stores) {
      const t0 = performance.now();
      await store.reopen();
      openMs.push(performance.now() - t0);
    }
    const cold = await timedReads(stores, total, READS);
    const warm = await warmReads(stores, total);
    const plain = 0;
    const coldQuery = cold.get('query') ?? [];
    const warmQuery = warm.get('query') ?? [];
    const warmPatient = warm.get('query_patient') ?? [];
    for (const [i, config] of configs.entries()) {
      const warmMs = medianMs(warmQuery[i]);
      const coldMs = totalMs(coldQuery[i]);
      const row = {
        insert: (insertMs[i] ?? NaN) / (insertMs[plain] ?? NaN),
        query: warmMs / medianMs(warmQuery[plain]),
        patient: medianMs(warmPatient[i]) / medianMs(warmPatient[plain]),
        cold: coldMs / totalMs(coldQuery[plain]),
      };
      log(
        `cipher ${config.label.padEnd(9)} open ${(openMs[i] ?? NaN).toFixed(1)} ms, warm query ${warmMs.toFixed(2)} ms (×${row.query.toFixed(2)}), ` +
          `cold queries ${coldMs.toFixed(0)} ms (×${row.cold.toFixed(2)}), insert ×${row.insert.toFixed(2)}`,
      );
      const what = config.cipher === undefined ? 'unkeyed' : CIPHER_NOTES[config.cipher] ?? config.cipher;
      const prefix = config.cipher === undefined ? 'storage.cipher.plain' : `storage.cipher.${config.cipher}`;
      figures.push(
        { name: `${prefix}.insert.ms`, value: insertMs[i] ?? NaN, unit: 'ms', note: `${what}; raw table, ${total} docs in batches of 1,000` },
        { name: `${prefix}.query.ms`, value: warmMs, unit: 'ms', note: `${what}; warm 7-day range query (median), cache ${WORKING_SET_CACHE_KIB / 1024} MiB` },
        { name: `${prefix}.cold_query.ms`, value: coldMs, unit: 'ms', note: `${what}; ${READS.rangeQueries} range queries right after reopening (total)` },
        { name: `${prefix}.open.ms`, value: openMs[i] ?? NaN, unit: 'ms', note: `${what}; close + open + key derivation + first read` },
      );
      if (config.cipher === undefined) continue;
      figures.push(
        { name: `${prefix}.insert.ratio_vs_plain`, value: row.insert, unit: 'x', note: `${what}; bulk insert, raw table` },
        { name: `${prefix}.query.ratio_vs_plain`, value: row.query, unit: 'x', note: `${what}; warm indexed range queries` },
        { name: `${prefix}.query_patient.ratio_vs_plain`, value: row.patient, unit: 'x', note: `${what}; warm per-patient queries` },
        { name: `${prefix}.cold_query.ratio_vs_plain`, value: row.cold, unit: 'x', note: `${what}; queries right after reopening` },
      );
      if (config.cipher === CHOSEN_CIPHER) {
        figures.push(
          { name: 'storage.cipher.insert.ratio_vs_plain', value: row.insert, unit: 'x', note: `chosen cipher ${CHOSEN_CIPHER}; raw table; target ≤ 2` },
          { name: 'storage.cipher.query.ratio_vs_plain', value: row.query, unit: 'x', note: `chosen cipher ${CHOSEN_CIPHER}; warm indexed queries; target ≤ 1.3` },
        );
      }
    }
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
  }
  return figures;
}

/** The chosen cipher through RxDB on our storage, keyed vs unkeyed: what the app sees. */
async function rxdbLevel(log: (line: string) => void, total: number, plainDir: string, keyedDir: string): Promise<Figure[]> {
  const configs: Config[] = [
    { label: 'plain', dir: plainDir },
    { label: CHOSEN_CIPHER, cipher: CHOSEN_CIPHER, dir: keyedDir },
  ];
  const stores: BenchStore[] = [];
  try {
    for (const config of configs) stores.push(await openRxdbStore(storeOptions(config, WORKING_SET_CACHE_KIB)));
    const insertMs = await timedInsert(stores, total);
    for (const store of stores) await store.reopen();
    await timedReads(stores, total, READS);
    const warm = (await warmReads(stores, total)).get('query') ?? [];
    const insertRatio = (insertMs[1] ?? NaN) / (insertMs[0] ?? NaN);
    const queryRatio = medianMs(warm[1]) / medianMs(warm[0]);
    log(`cipher via RxDB: ${CHOSEN_CIPHER} insert ×${insertRatio.toFixed(2)}, warm query ×${queryRatio.toFixed(2)}`);
    return [
      { name: 'storage.cipher.rxdb.insert.ratio_vs_plain', value: insertRatio, unit: 'x', note: `${CHOSEN_CIPHER} vs unkeyed through RxDB on onscene-sqlite, ${total} docs` },
      { name: 'storage.cipher.rxdb.query.ratio_vs_plain', value: queryRatio, unit: 'x', note: `${CHOSEN_CIPHER} vs unkeyed through RxDB, warm range queries` },
    ];
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
  }
}

/** Part 3 of the storage bench: what encryption costs, per cipher, on `total` documents. */
export async function runCiphers(log: (line: string) => void, total: number, options: Readonly<{ withRxdb: boolean }>): Promise<Figure[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-cipher-'));
  const dirOf = (label: string) => {
    const dir = path.join(root, label);
    fs.mkdirSync(dir);
    return dir;
  };
  try {
    const configs: Config[] = [{ label: 'plain', dir: dirOf('plain') }, ...CIPHERS.map((cipher) => ({ label: cipher, cipher, dir: dirOf(cipher) }))];
    const figures = await rawLevel(log, total, configs);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root);
    if (options.withRxdb) figures.push(...(await rxdbLevel(log, total, dirOf('rx-plain'), dirOf('rx-keyed'))));
    return figures;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
