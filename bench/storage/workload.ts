import { median } from '../figures';
import { EPOCH_MS, SPAN_MS, benchDocs, benchPatientId, prng } from './fhirDocs';
import type { BenchStore } from './stores';

const DAY_MS = 86_400_000;
export const INSERT_BATCH = 1000;

/** Per store: wall-clock ms spent inserting, and the CPU ms (user + system) of that time. */
export type InsertTimes = Readonly<{ wallMs: number[]; cpuMs: number[] }>;

/**
 * Inserts documents [0, total) into every store in batches of 1,000 (one bulkWrite / transaction
 * each), interleaved batch by batch with alternating order, so that disk and CPU drift on a shared
 * machine hit every store alike. Document generation is not timed. CPU time is reported beside
 * wall time because better-sqlite3 runs SQLite (and its cipher) synchronously on this thread:
 * CPU ms is the work, wall ms adds fsync waits and other processes.
 */
export async function timedInsert(stores: readonly BenchStore[], total: number): Promise<InsertTimes> {
  const wallMs = stores.map(() => 0);
  const cpuMs = stores.map(() => 0);
  for (let from = 0, batch = 0; from < total; from += INSERT_BATCH, batch++) {
    const docs = benchDocs(from, Math.min(total, from + INSERT_BATCH), total);
    const order = batch % 2 === 0 ? stores.map((_, s) => s) : stores.map((_, s) => stores.length - 1 - s);
    for (const s of order) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await (stores[s] as BenchStore).insert(docs);
      wallMs[s] = (wallMs[s] ?? 0) + performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      cpuMs[s] = (cpuMs[s] ?? 0) + (cpu.user + cpu.system) / 1000;
    }
  }
  return { wallMs, cpuMs };
}

/** One read operation's timings per store, and what it returned (to check both sides agree). */
export type ReadResult = { ms: number[]; results: number[] };

export type ReadPlan = Readonly<{
  findByIdBatches: number;
  findByIdBatchSize: number;
  rangeQueries: number;
  patientQueries: number;
  counts: number;
  changesPasses: number;
}>;

export type ReadOp = 'find_by_id' | 'query' | 'query_patient' | 'count' | 'changes_since';

/** The keys of documents in a corpus of `total`, in insertion order (cheap: no document built twice). */
function sampleKeys(total: number, count: number, seed: number): string[] {
  const rand = prng(seed);
  const indexes = new Set<number>();
  while (indexes.size < Math.min(count, total)) indexes.add(Math.floor(rand() * total));
  const keys: string[] = [];
  for (const index of indexes) {
    const [doc] = benchDocs(index, index + 1, total);
    if (doc !== undefined) keys.push(doc.key);
  }
  return keys;
}

type Operation = Readonly<{ op: ReadOp; run: (store: BenchStore) => Promise<number> }>;

/**
 * `count` distinct patient indexes out of `patients`, the `pass`-th slice of one seeded shuffle:
 * no patient is asked for twice in a pass or across passes (until the shuffle runs out), so
 * RxDB's query cache can never answer a patient query instead of the storage (issue #18).
 */
function distinctPatients(patients: number, count: number, pass: number): number[] {
  const rand = prng(patients + 11);
  const order = Array.from({ length: patients }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return Array.from({ length: count }, (_, i) => order[(pass * count + i) % patients] as number);
}

/** The read operations, each with its own arguments, in the order they run; `pass` varies every argument. */
function readOperations(total: number, plan: ReadPlan, pass: number): Operation[] {
  const ops: Operation[] = [];
  const rand = prng(total + 7 + pass * 7919);
  // Disjoint id samples: RxDB's document cache cannot answer a batch from an earlier one.
  const allKeys = sampleKeys(total, plan.findByIdBatches * plan.findByIdBatchSize, total + 1);
  for (let b = 0; b < plan.findByIdBatches; b++) {
    const keys = allKeys.slice(b * plan.findByIdBatchSize, (b + 1) * plan.findByIdBatchSize);
    ops.push({ op: 'find_by_id', run: (store) => store.findByIds(keys) });
  }
  const window = (days: number) => {
    const from = EPOCH_MS + Math.floor(rand() * (SPAN_MS - days * DAY_MS));
    return [new Date(from).toISOString(), new Date(from + days * DAY_MS).toISOString()] as const;
  };
  // A different window each time, so RxDB's query cache never answers instead of the storage.
  for (let i = 0; i < plan.rangeQueries; i++) {
    const [from, to] = window(7);
    ops.push({ op: 'query', run: (store) => store.rangeQuery('Observation', from, to) });
  }
  for (const index of distinctPatients(Math.max(1, Math.floor(total / 20)), plan.patientQueries, pass)) {
    const patientId = benchPatientId(index);
    ops.push({ op: 'query_patient', run: (store) => store.patientQuery(patientId) });
  }
  for (let i = 0; i < plan.counts; i++) {
    const [from, to] = window(30);
    ops.push({ op: 'count', run: (store) => store.count('Observation', from, to) });
  }
  for (let i = 0; i < plan.changesPasses; i++) {
    ops.push({ op: 'changes_since', run: (store) => store.changesSince(1000) });
  }
  return ops;
}

/**
 * Runs the same reads on every store, interleaved operation by operation (alternating which
 * store goes first), so drift on a shared machine hits all sides alike. Each `pass` asks other
 * windows and other patients, so a repeated pass measures the storage, not RxDB's query cache.
 */
export async function timedReads(stores: readonly BenchStore[], total: number, plan: ReadPlan, pass = 0): Promise<Map<ReadOp, ReadResult[]>> {
  const out = new Map<ReadOp, ReadResult[]>();
  const ops = readOperations(total, plan, pass);
  for (const [i, operation] of ops.entries()) {
    const perStore = out.get(operation.op) ?? stores.map(() => ({ ms: [], results: [] }));
    out.set(operation.op, perStore);
    const order = i % 2 === 0 ? stores.map((_, s) => s) : stores.map((_, s) => stores.length - 1 - s);
    for (const s of order) {
      const store = stores[s] as BenchStore;
      const t0 = performance.now();
      const result = await operation.run(store);
      (perStore[s] as ReadResult).ms.push(performance.now() - t0);
      (perStore[s] as ReadResult).results.push(result);
    }
  }
  return out;
}

/** Median ms of one operation (total ms for changes_since passes, which is one full pass each). */
export function medianMs(result: ReadResult | undefined): number {
  return result === undefined || result.ms.length === 0 ? Number.NaN : median(result.ms);
}

export function sameResults(a: ReadResult | undefined, b: ReadResult | undefined): boolean {
  return a !== undefined && b !== undefined && a.results.length === b.results.length && a.results.every((r, i) => r === b.results[i]);
}
