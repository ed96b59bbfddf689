import type { BenchPart, Figure } from './figures';
import { runCiphers } from './storage/ciphers';
import { runFloor } from './storage/floor';
import { runRxdbPerf } from './storage/rxdbPerf';

/**
 * The storage part of `npm run bench` (issue #5), three measurements, each with its baseline in
 * the same run:
 * 1. RxDB's own `runPerformanceTests` on our storage (keyed as the app, and unkeyed for reference) and on RxDB's memory storage,
 *    printed beside RxDB's published figures for its paid SQLite storage.
 * 2. The floor: 10k and 100k FHIR-shaped documents through RxDB on our storage vs raw
 *    better-sqlite3 on a hand-written table (bulk insert, find by id, indexed range query,
 *    count, changes-since).
 * 3. Encryption cost per cipher on 100k documents, keyed vs unkeyed, at the app's 64 MiB page cache.
 *
 * ONSCENE_BENCH_QUICK=1 runs RxDB's benchmark with 8 runs instead of 40 and the rest on 10k
 * documents, for a quick look; the figures say so in their notes.
 */
export const storageBench: BenchPart = {
  name: 'storage',
  async run(log: (line: string) => void): Promise<Figure[]> {
    const isQuick = process.env.ONSCENE_BENCH_QUICK === '1';
    const started = performance.now();
    const lap = (what: string) => log(`storage: ${what} done at ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const figures: Figure[] = [];
    figures.push(...(await runRxdbPerf(log, { runs: isQuick ? 8 : 40, isQuick })));
    lap('RxDB benchmark');
    figures.push(...(await runFloor(log, isQuick ? [10_000] : [10_000, 100_000])));
    lap('floor');
    figures.push(...(await runCiphers(log, isQuick ? 10_000 : 100_000, { withRxdb: true })));
    lap('ciphers');
    return figures;
  },
};
