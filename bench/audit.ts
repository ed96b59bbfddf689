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
import { measureRecordOpen } from './auditRecordOpen';

/**
 * The audit part of `npm run bench` (issue #3).
 *
 * Durability is what we ship: an encrypted (chacha20) SQLite file in WAL mode with
 * synchronous=FULL (db/storage/connection.ts), so every commit is fsynced before it returns.
 * - audit.append.per_s: appends through appendAsync, the app's path (group commit: callers in
 *   the same event-loop turn share one transaction and one fsync), with 32 concurrent callers.
 * - audit.append.serial.per_s: one caller at a time — each append waits for its own fsync, so
 *   this is the disk's fsync rate, whatever the code does.
 * - audit.verify.1m.s: streaming verify of 1,000,000 realistic entries (chain + head).
 * - audit.record_open.ratio_with_vs_without: record.open through the real dispatcher, with the
 *   audit entry vs the same handlers with auditing switched off, interleaved in one run.
 */
export type BenchFigure = Readonly<{ name: string; value: number; unit: string }>;

export type AuditBenchOptions = Readonly<{
  /** Entries for the verify benchmark (default 1,000,000; the figure is named for 1M). */
  verifyEntries?: number;
  appendCount?: number;
  recordOpenIterations?: number;
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
  const appends = await appendRates(options.appendCount ?? 20_000);
  log(`appends: ${appends.grouped.toFixed(0)}/s grouped (32 callers), ${appends.serial.toFixed(0)}/s one at a time; WAL, synchronous=FULL`);
  const verify = await verifySeconds(options.verifyEntries ?? 1_000_000, log);
  log(`verify: ${verify.seconds.toFixed(2)} s, heap growth ${verify.heapMb.toFixed(1)} MB`);
  const open = await measureRecordOpen(options.recordOpenIterations ?? 200);
  log(`record.open: ${open.withAuditMs.toFixed(2)} ms with audit, ${open.withoutAuditMs.toFixed(2)} ms without`);
  return [
    { name: 'audit.append.per_s', value: Math.round(appends.grouped), unit: 'appends/s' },
    { name: 'audit.append.serial.per_s', value: Math.round(appends.serial), unit: 'appends/s' },
    { name: 'audit.verify.1m.s', value: Number(verify.seconds.toFixed(3)), unit: 's' },
    { name: 'audit.record_open.ratio_with_vs_without', value: Number((open.withAuditMs / open.withoutAuditMs).toFixed(3)), unit: 'ratio' },
    { name: 'audit.record_open.with_audit.ms', value: Number(open.withAuditMs.toFixed(3)), unit: 'ms' },
  ];
}

// Standalone: node --experimental-websocket --import tsx bench/audit.ts [--json]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const isJson = process.argv.includes('--json');
  const figures = await runAuditBenchmarks({ log: isJson ? () => {} : (line) => console.log(line) });
  console.log(isJson ? JSON.stringify(figures) : figures.map((f) => `${f.name.padEnd(44)} ${String(f.value).padStart(10)} ${f.unit}`).join('\n'));
}
