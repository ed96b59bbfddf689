import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainHashOfCanonical, entryCanonicalJson } from '../core/auditChain';
import { splitFact } from '../core/auditEntry';
import type { AuditFact } from '../core/auditEvent';
import { type AuditLog, createAuditLog, sha256Hex } from '../db/auditLog';
import { openConnection } from '../db/storage/connection';
import type { SQLiteDatabase } from '../db/storage/sqlHelpers';
import { auditPortOf } from '../main/services/auditPort';
import { createAuditService } from '../main/services/auditService';
import { createFhirClient } from '../sync/fhirClient';
import { measureRecordOpen } from './auditRecordOpen';

/**
 * The audit part of `npm run bench` (issues #3, #18).
 *
 * Durability is what we ship: an encrypted (AEGIS-256, the storage default) SQLite file in WAL
 * mode with synchronous=FULL (db/storage/connection.ts), so every commit is fsynced before it returns.
 * - audit.append.app_path.{1_caller,8_callers}.per_s (the headline): the path every call site
 *   uses, AuditService.append via auditPortOf's durableBeforeAnswer, each caller awaiting its own
 *   entry; 1 and 8 concurrent callers, interleaved, median of 3.
 * - audit.append.per_s / audit.append.serial.per_s: AuditLog.appendAsync directly, for reference.
 * - audit.verify.1m.s: streaming verify of 1,000,000 realistic entries (chain + head).
 * - audit.record_open.*: record.open through the real dispatcher at 10k cached patients, with the
 *   audit entry vs the same handlers with auditing switched off, interleaved in one run; its p95;
 *   and 8 concurrent callers.
 */
export type BenchFigure = Readonly<{ name: string; value: number; unit: string; note?: string }>;

export type AuditBenchOptions = Readonly<{
  /** Entries for the verify benchmark (default 1,000,000; the figure is named for 1M). */
  verifyEntries?: number;
  appendCount?: number;
  recordOpenIterations?: number;
  /** Patients synced before record.open is timed (default 10,000: the "10k cached patients"). */
  recordOpenPatients?: number;
  log?: (line: string) => void;
}>;

const KEY = 'b'.repeat(64);

function tempDb(prefix: string): { db: SQLiteDatabase; dir: string; close(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
  return {
    db,
    dir,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function benchFact(n: number): AuditFact {
  return {
    action: 'record.open',
    recordedAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
    userId: `demo-paramedic-${n % 5}`,
    practitionerId: `prac-demo-paramedic-${n % 5}`,
    role: 'paramedic',
    organizationId: 'org-ambulance',
    deviceId: 'onscene-3f1c1b0e-7d7e-4c55-9a53-2b8a0c1f6f0e',
    appVersion: '0.1.0',
    patientId: `pat-${String(n % 1000).padStart(6, '0')}`,
    patientNhsNumber: '9990000018',
    purpose: `incident task-${String(n % 1000).padStart(6, '0')}-active`,
    outcome: 'success',
    isOffline: n % 3 === 0,
    lastServerTimeAt: '2026-01-01T00:00:00.000Z',
    clockOffsetMs: 1000,
  };
}

async function appendRates(count: number): Promise<{ grouped: number; serial: number }> {
  const target = tempDb('onscene-bench-append-');
  try {
    const log = createAuditLog(target.db);
    const serialCount = Math.min(count, 2000);
    let t0 = performance.now();
    for (let i = 0; i < serialCount; i++) await log.appendAsync(benchFact(i));
    const serial = serialCount / ((performance.now() - t0) / 1000);
    const concurrency = 32;
    let next = 0;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await log.appendAsync(benchFact(next++));
      }),
    );
    const grouped = count / ((performance.now() - t0) / 1000);
    if (!log.verify().ok) throw new Error('append benchmark produced a broken chain');
    return { grouped, serial };
  } finally {
    target.close();
  }
}

/**
 * The app's own audit path (issue #18): AuditService.append through auditPortOf's
 * durableBeforeAnswer, the one call record.open, incidents.list, search, break-glass and sync
 * batches await before data leaves main. Each caller awaits its own entry before the next, as a
 * request handler does; `callers` of them run at once. The entries are the service's full facts
 * (device, app version, offline flag, clock).
 */
async function appPathRate(count: number, callers: number): Promise<number> {
  const target = tempDb('onscene-bench-apppath-');
  try {
    const log = createAuditLog(target.db);
    const service = createAuditService({
      deviceId: 'onscene-3f1c1b0e-7d7e-4c55-9a53-2b8a0c1f6f0e',
      appVersion: '0.1.0',
      organizationId: 'org-ambulance',
      now: () => new Date(),
      log: () => log,
      isOnline: () => false,
      lastSyncServerTime: () => '2026-01-01T00:00:00.000Z',
      // Never called by append: delivery is a separate path.
      client: createFhirClient({ baseUrl: 'http://127.0.0.1:9/fhir' }),
    });
    const port = auditPortOf(service);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (next < count) {
          const n = next++;
          await port.durableBeforeAnswer({
            user: { userId: `demo-paramedic-${n % 5}`, role: 'paramedic' },
            practitionerId: `prac-demo-paramedic-${n % 5}`,
            action: 'record.open',
            patientId: `pat-${String(n % 1000).padStart(6, '0')}`,
            patientNhsNumber: '9990000018',
            purpose: `incident task-${String(n % 1000).padStart(6, '0')}-active`,
            outcome: 'success',
          });
        }
      }),
    );
    const rate = count / ((performance.now() - t0) / 1000);
    if (!log.verify().ok) throw new Error('app-path benchmark produced a broken chain');
    return rate;
  } finally {
    target.close();
  }
}

/** Interleaved rounds of 1 and 8 callers on the app path (fresh file each), median per side. */
export async function appPathRates(count: number, rounds: number): Promise<{ one: number; eight: number; samples: string }> {
  const one: number[] = [];
  const eight: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      one.push(await appPathRate(Math.min(count, 3000), 1));
      eight.push(await appPathRate(count, 8));
    } else {
      eight.push(await appPathRate(count, 8));
      one.push(await appPathRate(Math.min(count, 3000), 1));
    }
  }
  const m = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
  return { one: m(one), eight: m(eight), samples: `1 caller ${one.map(Math.round).join('/')}, 8 callers ${eight.map(Math.round).join('/')}` };
}

/**
 * Writes `n` correctly chained entries quickly, as set-up for the verify benchmark: the details
 * are built once and the event id changes per entry; the triggers are off while it writes
 * 50,000 entries to a transaction, then the head is set and createAuditLog puts them back.
 */
export function fillChain(db: SQLiteDatabase, log: AuditLog, n: number): AuditLog {
  for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%'").pluck().all() as string[]) {
    db.exec(`DROP TRIGGER "${name.replaceAll('"', '""')}"`);
  }
  const template = splitFact(benchFact(1), 'unused').detailsJson;
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, event_id, recorded_at, action, user_id, patient_id, patient_nhs, body, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let { seq, hash: prevHash } = log.head()!.head;
  const batch = db.transaction((size: number) => {
    for (let i = 0; i < size; i++) {
      seq += 1;
      const eventId = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
      const body = template;
      const index = { eventId, recordedAt: '2026-01-01T00:00:01.000Z', action: 'record.open', userId: 'demo-paramedic-1', patientId: 'pat-000001', patientNhs: '9990000018' };
      const hash = chainHashOfCanonical(sha256Hex, prevHash, seq, entryCanonicalJson(index, body));
      insert.run(seq, eventId, index.recordedAt, index.action, index.userId, index.patientId, index.patientNhs, body, prevHash, hash);
      prevHash = hash;
    }
  });
  for (let done = 0; done < n; done += 50_000) batch.immediate(Math.min(50_000, n - done));
  db.prepare('UPDATE audit_head SET head_seq = ?, head_hash = ? WHERE id = 1').run(seq, prevHash);
  return createAuditLog(db);
}

async function verifySeconds(entries: number, log: (line: string) => void): Promise<{ seconds: number; heapMb: number }> {
  const target = tempDb('onscene-bench-verify-');
  try {
    let t0 = performance.now();
    const auditLog = fillChain(target.db, createAuditLog(target.db), entries);
    target.db.pragma('wal_checkpoint(TRUNCATE)');
    log(`generated ${entries} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(path.join(target.dir, 'onscene.sqlite')).size / 1e6).toFixed(0)} MB)`);
    const heapBefore = process.memoryUsage().heapUsed;
    t0 = performance.now();
    const verdict = auditLog.verify();
    const seconds = (performance.now() - t0) / 1000;
    const heapMb = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / 1e6;
    if (!verdict.ok || verdict.count !== entries) throw new Error(`verify benchmark: unexpected verdict ${JSON.stringify(verdict)}`);
    return { seconds, heapMb };
  } finally {
    target.close();
  }
}

/** Runs the audit benchmarks and returns their figures (called by bench/run.ts). */
export async function runAuditBenchmarks(options: AuditBenchOptions = {}): Promise<BenchFigure[]> {
  const log = options.log ?? (() => {});
  const appPath = await appPathRates(options.appendCount ?? 20_000, 3);
  log(`app path (durableBeforeAnswer): ${appPath.one.toFixed(0)}/s with 1 caller, ${appPath.eight.toFixed(0)}/s with 8 (${appPath.samples})`);
  const appends = await appendRates(options.appendCount ?? 20_000);
  log(`appendAsync directly: ${appends.grouped.toFixed(0)}/s grouped (32 callers), ${appends.serial.toFixed(0)}/s one at a time; WAL, synchronous=FULL`);
  const verify = await verifySeconds(options.verifyEntries ?? 1_000_000, log);
  log(`verify: ${verify.seconds.toFixed(2)} s, heap growth ${verify.heapMb.toFixed(1)} MB`);
  const open = await measureRecordOpen(options.recordOpenIterations ?? 200, options.recordOpenPatients ?? 10_000);
  log(`record.open at ${open.cachedPatients} cached patients: ${open.withAuditMs.toFixed(2)} ms with audit (p95 ${open.withAuditP95Ms.toFixed(2)}), ${open.withoutAuditMs.toFixed(2)} ms without; ${open.concurrentPerS.toFixed(0)}/s with ${open.callers} callers`);
  const durable = 'durable: AEGIS-encrypted file, WAL, synchronous=FULL (fsync before it resolves)';
  return [
    { name: 'audit.append.app_path.1_caller.per_s', value: Math.round(appPath.one), unit: 'appends/s', note: `headline: AuditService.append via durableBeforeAnswer (what every call site awaits), one caller awaiting each entry; median of 3 interleaved with the 8-caller line; ${durable}` },
    { name: 'audit.append.app_path.8_callers.per_s', value: Math.round(appPath.eight), unit: 'appends/s', note: `headline: the same path, 8 concurrent callers each awaiting its own entry (group commit shares fsyncs); median of 3; at most 8 entries share one fsync, so the ceiling is 8 x this run's fsync rate (audit.append.serial.per_s ${Math.round(appends.serial)}/s -> ${Math.round(8 * appends.serial)}/s); target >= 5000; ${durable}` },
    { name: 'audit.append.per_s', value: Math.round(appends.grouped), unit: 'appends/s', note: `reference only: AuditLog.appendAsync directly (no service), 32 concurrent callers; ${durable}` },
    { name: 'audit.append.serial.per_s', value: Math.round(appends.serial), unit: 'appends/s', note: 'reference only: appendAsync, one caller at a time: the disk\'s fsync rate' },
    { name: 'audit.verify.1m.s', value: Number(verify.seconds.toFixed(3)), unit: 's', note: 'streaming verify of 1,000,000 entries (chain + head)' },
    { name: 'audit.record_open.ratio_with_vs_without', value: Number((open.withAuditMs / open.withoutAuditMs).toFixed(3)), unit: 'ratio', note: `record.open through the real dispatcher, with its audit entry vs an audit port that writes nothing, interleaved; ${open.cachedPatients} cached patients` },
    { name: 'audit.record_open.with_audit.ms', value: Number(open.withAuditMs.toFixed(3)), unit: 'ms', note: `mean, one caller, ${open.cachedPatients} cached patients` },
    { name: 'audit.record_open.10k.p95.ms', value: Number(open.withAuditP95Ms.toFixed(3)), unit: 'ms', note: `p95 of record.open including its durable audit entry, one caller, ${open.cachedPatients} cached patients (whole region synced); target <= 15` },
    { name: 'audit.record_open.8_callers.per_s', value: Math.round(open.concurrentPerS), unit: 'calls/s', note: `record.open through the dispatcher with ${open.callers} concurrent callers, each with its durable audit entry` },
  ];
}

// Standalone: node --experimental-websocket --import tsx bench/audit.ts [--json]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const isJson = process.argv.includes('--json');
  const figures = await runAuditBenchmarks({ log: isJson ? () => {} : (line) => console.log(line) });
  console.log(isJson ? JSON.stringify(figures) : figures.map((f) => `${f.name.padEnd(44)} ${String(f.value).padStart(10)} ${f.unit}`).join('\n'));
}
