import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from '../figures';
import { openRawStore, openRxdbStore, type BenchStore } from './stores';
import { medianMs, sameResults, timedInsert, timedReads, type ReadOp, type ReadPlan } from './workload';

const OP_UNITS: Readonly<Record<ReadOp, string>> = {
  find_by_id: 'ms per findByIds of 1,000 random ids (median)',
  query: 'ms per indexed range query, Observations updated in a 7-day window, sorted (median)',
  query_patient: 'ms per "everything about one patient" query (median)',
  count: 'ms per indexed count, Observations in a 30-day window (median)',
  changes_since: 'ms for one full getChangedDocumentsSince pass, pages of 1,000 (median)',
};

export function sizeLabel(total: number): string {
  return total >= 1000 ? `${Math.round(total / 1000)}k` : String(total);
}

function readPlan(total: number): ReadPlan {
  return {
    findByIdBatches: 7,
    findByIdBatchSize: 1000,
    rangeQueries: 25,
    patientQueries: 40,
    counts: 25,
    changesPasses: total > 20_000 ? 1 : 3,
  };
}

/**
 * Part 2 of the storage bench, the floor: the same documents and reads through RxDB on our
 * storage and on raw better-sqlite3 with a hand-written table and indexes, in the same run.
 */
export async function runFloor(log: (line: string) => void, sizes: readonly number[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const total of sizes) {
    const size = sizeLabel(total);
    const rawDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-raw-'));
    const rxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-rx-'));
    const stores: BenchStore[] = [];
    try {
      const raw = openRawStore({ directory: rawDir });
      stores.push(raw);
      const rx = await openRxdbStore({ directory: rxDir });
      stores.push(rx);
      const inserted = await timedInsert([raw, rx], total);
      const [rawInsertMs = NaN, rxInsertMs = NaN] = inserted.wallMs;
      const [rawCpuMs = NaN, rxCpuMs = NaN] = inserted.cpuMs;
      log(
        `floor ${size}: insert raw ${rawInsertMs.toFixed(0)} ms (cpu ${rawCpuMs.toFixed(0)}), ` +
          `rxdb ${rxInsertMs.toFixed(0)} ms (cpu ${rxCpuMs.toFixed(0)}), ×${(rxInsertMs / rawInsertMs).toFixed(2)}`,
      );
      figures.push(
        { name: `storage.insert.${size}.raw.ms`, value: rawInsertMs, unit: 'ms', note: `${total} docs, batches of 1,000, raw better-sqlite3` },
        { name: `storage.insert.${size}.rxdb.ms`, value: rxInsertMs, unit: 'ms', note: `${total} docs, batches of 1,000, RxDB bulkInsert on onscene-sqlite` },
        { name: `storage.insert.${size}.ratio_vs_raw`, value: rxInsertMs / rawInsertMs, unit: 'x', note: 'wall clock; target ≤ 1.5' },
        { name: `storage.insert.${size}.cpu_ratio_vs_raw`, value: rxCpuMs / rawCpuMs, unit: 'x', note: 'CPU time of the same inserts (no fsync waits)' },
      );
      // Reads start from a closed file on both sides: nothing cached in SQLite or in RxDB.
      await raw.reopen();
      await rx.reopen();
      const reads = await timedReads([raw, rx], total, readPlan(total));
      for (const [op, [rawResult, rxResult]] of reads) {
        const rawMs = medianMs(rawResult);
        const rxMs = medianMs(rxResult);
        const agree = sameResults(rawResult, rxResult);
        if (!agree) log(`floor ${size}: ${op} — RxDB and raw returned different document counts!`);
        const target = op === 'query' || op === 'query_patient' ? '; target ≤ 2' : '';
        const check = agree ? '' : '; RESULTS DIFFER from raw';
        log(`floor ${size}: ${op.padEnd(14)} raw ${rawMs.toFixed(2)} ms, rxdb ${rxMs.toFixed(2)} ms, ×${(rxMs / rawMs).toFixed(2)}`);
        figures.push(
          { name: `storage.${op}.${size}.raw.ms`, value: rawMs, unit: 'ms', note: OP_UNITS[op] },
          { name: `storage.${op}.${size}.rxdb.ms`, value: rxMs, unit: 'ms', note: OP_UNITS[op] },
          { name: `storage.${op}.${size}.ratio_vs_raw`, value: rxMs / rawMs, unit: 'x', note: `RxDB on onscene-sqlite vs raw${target}${check}` },
        );
      }
    } finally {
      for (const store of stores) await store.close().catch(() => undefined);
      fs.rmSync(rawDir, { recursive: true, force: true });
      fs.rmSync(rxDir, { recursive: true, force: true });
    }
  }
  return figures;
}
