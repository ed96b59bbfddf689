import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from '../figures';
import { STORE_CACHE_KIB } from '../syncFloor';
import { openRawStore, openRxdbStore, type BenchStore, type StoreOptions } from './stores';
import { medianMs, timedInsert, timedReads, type ReadPlan, type ReadResult } from './workload';

/** The cipher db/storage/README.md chooses against the threat model (see "Cipher choice" there). */
export const CHOSEN_CIPHER = 'aegis';

/** Measured ciphers: the storage default, SQLCipher's scheme, AES-256-CBC without a MAC, and AEGIS. */
const CIPHERS = ['chacha20', 'sqlcipher', 'aes256cbc', 'aegis'] as const;

const CIPHER_NOTES: Readonly<Record<string, string>> = {
  chacha20: 'ChaCha20-Poly1305 (sqleet scheme), authenticated',
  sqlcipher: 'SQLCipher v4 scheme: AES-256-CBC + HMAC-SHA512, authenticated',
  aes256cbc: 'wxSQLite3 AES-256-CBC, no MAC (confidentiality only)',
  aegis: 'AEGIS-256 (Argon2id key derivation), authenticated',
};

/** A 256-bit key as hex text: the app passes a random data key, not a memorable passphrase. */
const BENCH_KEY = 'a3'.repeat(32);

/**
 * The app's own page cache (db/localStore.ts, 64 MiB; issue #18): smaller than the 100k-document
 * file (about 200 MB), so "warm" queries still read and decrypt the pages the cache cannot hold,
 * as they do in the app. (Before, a 320 MiB cache held the whole file and decrypted nothing warm.)
 */
export const WORKING_SET_CACHE_KIB = STORE_CACHE_KIB;

const READS: ReadPlan = { findByIdBatches: 0, findByIdBatchSize: 0, rangeQueries: 25, patientQueries: 25, counts: 0, changesPasses: 0 };

type Config = Readonly<{ label: string; cipher?: string; cacheSizeKiB?: number; dir: string }>;

function storeOptions(config: Config): StoreOptions {
  return {
    directory: config.dir,
    ...(config.cacheSizeKiB === undefined ? {} : { cacheSizeKiB: config.cacheSizeKiB }),
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
  for (let pass = 1; pass <= 3; pass++) {
    for (const [op, perStore] of await timedReads(stores, total, READS, pass)) {
      const into = pooled.get(op) ?? stores.map(() => ({ ms: [], results: [] }));
      pooled.set(op, into);
      perStore.forEach((r, s) => (into[s] as ReadResult).ms.push(...r.ms));
    }
  }
  return pooled;
}

type Measured = Readonly<{ insertMs: number; cpuMs: number; openMs: number; warmMs: number; patientMs: number; coldMs: number }>;

/** Inserts into every config's file (interleaved), reopens them all, then cold and warm reads. */
async function measureRaw(log: (line: string) => void, total: number, configs: readonly Config[]): Promise<Measured[]> {
  const stores: BenchStore[] = [];
  try {
    for (const config of configs) stores.push(openRawStore(storeOptions(config)));
    const inserted = await timedInsert(stores, total);
    const openMs: number[] = [];
    for (const store of stores) {
      const t0 = performance.now();
      await store.reopen();
      openMs.push(performance.now() - t0);
    }
    const cold = (await timedReads(stores, total, READS)).get('query') ?? [];
    const warm = await warmReads(stores, total);
    return configs.map((config, i) => {
      const measured = {
        insertMs: inserted.wallMs[i] ?? NaN,
        cpuMs: inserted.cpuMs[i] ?? NaN,
        openMs: openMs[i] ?? NaN,
        warmMs: medianMs(warm.get('query')?.[i]),
        patientMs: medianMs(warm.get('query_patient')?.[i]),
        coldMs: totalMs(cold[i]),
      };
      log(
        `cipher ${config.label.padEnd(16)} insert ${measured.insertMs.toFixed(0)} ms (cpu ${measured.cpuMs.toFixed(0)}), ` +
          `file ${fileMiB(config.dir).toFixed(0)} MiB, open ${measured.openMs.toFixed(0)} ms, ` +
          `cold queries ${measured.coldMs.toFixed(0)} ms, warm query ${measured.warmMs.toFixed(2)} ms`,
      );
      return measured;
    });
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
  }
}

/**
 * Raw level: the hand-written table of the floor, opened through the storage's openConnection
 * (its keying, WAL, synchronous=FULL). Every cipher at the app's 64 MiB page cache, plus
 * unkeyed, the storage default and the chosen cipher at SQLite's default 2 MiB cache (reference:
 * openConnection without cacheSizeKiB). Reads run interleaved across all files: first right after
 * reopening (cold: every page read from the OS and decrypted), then three passes over other
 * windows and patients (warm: the cache holds what fits in 64 MiB, the rest is read and decrypted).
 */
async function rawLevel(log: (line: string) => void, total: number, dirOf: (label: string) => string): Promise<Figure[]> {
  const sized = (cipher?: string): Config => ({ label: cipher ?? 'plain', ...(cipher === undefined ? {} : { cipher }), cacheSizeKiB: WORKING_SET_CACHE_KIB, dir: dirOf(cipher ?? 'plain') });
  const small = (cipher?: string): Config => ({ label: `${cipher ?? 'plain'} @2MiB cache`, ...(cipher === undefined ? {} : { cipher }), dir: dirOf(`${cipher ?? 'plain'}-2mib`) });
  const smallCiphers = [...new Set(['chacha20', CHOSEN_CIPHER])];
  const configs: Config[] = [sized(), ...CIPHERS.map((c) => sized(c)), small(), ...smallCiphers.map((c) => small(c))];
  const results = await measureRaw(log, total, configs);
  const plain = results[0] as Measured;
  const plainSmall = results[CIPHERS.length + 1] as Measured;
  const figures: Figure[] = [
    { name: 'storage.cipher.plain.insert.ms', value: plain.insertMs, unit: 'ms', note: `unkeyed; raw table, ${total} docs in batches of 1,000` },
    { name: 'storage.cipher.plain.query.ms', value: plain.warmMs, unit: 'ms', note: `unkeyed; warm 7-day range query (median), ${WORKING_SET_CACHE_KIB / 1024} MiB cache` },
    { name: 'storage.cipher.plain.cold_query.ms', value: plain.coldMs, unit: 'ms', note: `unkeyed; ${READS.rangeQueries} range queries right after reopening (total)` },
    { name: 'storage.cipher.plain.query_2mib_cache.ms', value: plainSmall.warmMs, unit: 'ms', note: 'unkeyed; warm range query at SQLite\'s default 2 MiB cache' },
  ];
  for (const [i, cipher] of CIPHERS.entries()) {
    const m = results[i + 1] as Measured;
    const what = CIPHER_NOTES[cipher] ?? cipher;
    const p = `storage.cipher.${cipher}`;
    figures.push(
      { name: `${p}.insert.ms`, value: m.insertMs, unit: 'ms', note: `${what}; raw table, ${total} docs` },
      { name: `${p}.insert.ratio_vs_plain`, value: m.insertMs / plain.insertMs, unit: 'x', note: `${what}; bulk insert, wall clock` },
      { name: `${p}.insert_cpu.ratio_vs_plain`, value: m.cpuMs / plain.cpuMs, unit: 'x', note: `${what}; bulk insert, CPU time (no fsync waits)` },
      { name: `${p}.query.ratio_vs_plain`, value: m.warmMs / plain.warmMs, unit: 'x', note: `${what}; warm indexed range queries, at the app's 64 MiB page cache` },
      { name: `${p}.query_patient.ratio_vs_plain`, value: m.patientMs / plain.patientMs, unit: 'x', note: `${what}; warm per-patient queries, distinct patients, app's 64 MiB cache` },
      { name: `${p}.cold_query.ratio_vs_plain`, value: m.coldMs / plain.coldMs, unit: 'x', note: `${what}; range queries right after reopening, app's 64 MiB cache` },
      { name: `${p}.open.ms`, value: m.openMs, unit: 'ms', note: `${what}; close + open + key derivation + first read (unkeyed ${plain.openMs.toFixed(0)} ms)` },
    );
  }
  for (const [j, cipher] of smallCiphers.entries()) {
    const m = results[CIPHERS.length + 2 + j] as Measured;
    figures.push({
      name: `storage.cipher.${cipher}.query_2mib_cache.ratio_vs_plain`,
      value: m.warmMs / plainSmall.warmMs,
      unit: 'x',
      note: `${cipher}; warm range queries at SQLite's default 2 MiB page cache (reference: openConnection without cacheSizeKiB; the app sets 64 MiB)`,
    });
  }
  const chosen = results[CIPHERS.indexOf(CHOSEN_CIPHER as (typeof CIPHERS)[number]) + 1] as Measured;
  figures.push(
    { name: 'storage.cipher.insert.ratio_vs_plain', value: chosen.insertMs / plain.insertMs, unit: 'x', note: `chosen cipher ${CHOSEN_CIPHER}; bulk insert, raw table; target ≤ 2` },
    { name: 'storage.cipher.query.ratio_vs_plain', value: chosen.warmMs / plain.warmMs, unit: 'x', note: `chosen cipher ${CHOSEN_CIPHER}; warm indexed queries at the app's 64 MiB page cache (other windows each pass); target ≤ 1.3` },
  );
  return figures;
}

/** The chosen cipher through RxDB on our storage, keyed vs unkeyed: what the app sees. */
async function rxdbLevel(log: (line: string) => void, total: number, plainDir: string, keyedDir: string): Promise<Figure[]> {
  const configs: Config[] = [
    { label: 'plain', cacheSizeKiB: WORKING_SET_CACHE_KIB, dir: plainDir },
    { label: CHOSEN_CIPHER, cipher: CHOSEN_CIPHER, cacheSizeKiB: WORKING_SET_CACHE_KIB, dir: keyedDir },
  ];
  const stores: BenchStore[] = [];
  try {
    for (const config of configs) stores.push(await openRxdbStore(storeOptions(config)));
    const { wallMs: insertMs } = await timedInsert(stores, total);
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
    const figures = await rawLevel(log, total, dirOf);
    // Free the disk before the RxDB pair: seven 100k files are about 1.3 GB.
    for (const name of fs.readdirSync(root)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
    if (options.withRxdb) figures.push(...(await rxdbLevel(log, total, dirOf('rx-plain'), dirOf('rx-keyed'))));
    return figures;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
