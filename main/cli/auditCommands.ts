import { renderAuditEvent } from '../../core/auditEntry';
import type { AuditFact } from '../../core/auditEvent';
import type { ChainVerdict } from '../../core/auditChain';
import type { AuditLog, AuditRow } from '../../db/auditLog';
import { toReportEntry } from '../services/auditService';
import { terminalSafe } from './terminalText';

/** Where a command writes: `out` for the result (awaits back-pressure), `err` for notes. */
export type CliOutput = Readonly<{ out(text: string): Promise<void>; err(text: string): void }>;

export type AuditCliContext = Readonly<{
  log: AuditLog;
  userId: string;
  deviceId: string;
  appVersion: string;
  now: () => Date;
  output: CliOutput;
}>;

export const EXIT = { ok: 0, usage: 1, broken: 2 } as const;

/** Plain-language reasons for each kind of break (core/auditChain.ts). */
const BREAK_TEXT: Record<Extract<ChainVerdict, { ok: false }>['reason'], string> = {
  gap: 'an entry is missing (deleted)',
  'out-of-order': 'an entry is repeated or out of order',
  'prev-hash': 'the link to the entry before does not match (entries moved, or one forged)',
  hash: 'the entry was changed after it was written',
  truncated: 'entries after this point were removed (the recorded chain head is further on)',
  'beyond-head': 'entries were added after the recorded chain head',
  'head-mismatch': 'the last entry is not the one the chain head records',
  'head-missing': 'the chain head record itself was removed',
};

/** The IG tool writes its own audit entry before it shows anything (BALP "Audit Log Used"). */
function auditOwnUse(ctx: AuditCliContext, action: 'audit.export' | 'audit.report', extra: Partial<AuditFact>): void {
  ctx.log.append({
    action,
    recordedAt: ctx.now().toISOString(),
    userId: ctx.userId,
    practitionerId: null,
    role: null,
    deviceId: ctx.deviceId,
    appVersion: ctx.appVersion,
    patientId: null,
    purpose: 'IG command line',
    outcome: 'success',
    // The command line does not contact the central record.
    isOffline: true,
    lastServerTimeAt: null,
    ...extra,
  });
}

/**
 * Entries the central record refused in plain and sanitised form (issue #10): they are not in the
 * central audit, so a reviewer there cannot see them. Listed wherever the trail is looked at.
 */
export function setAsideText(ctx: AuditCliContext, limit = 50): string {
  const count = ctx.log.stats().quarantined;
  if (count === 0) return '';
  const rows = ctx.log.setAside(limit);
  const lines = rows.map((row) => {
    const why = row.refusedStatus === null ? 'this version could not render it' : `refused with HTTP ${row.refusedStatus}`;
    return `  entry ${row.seq}  ${terminalSafe(row.action)}  ${terminalSafe(row.userId)}  recorded ${terminalSafe(row.recordedAt)}  (${why})\n`;
  });
  const more = count > rows.length ? `  … and ${count - rows.length} more.\n` : '';
  return (
    `SET ASIDE: ${count} entr${count === 1 ? 'y is' : 'ies are'} NOT in the central audit (the central record refused ${count === 1 ? 'it' : 'them'}); ` +
    `review ${count === 1 ? 'it' : 'them'} here:\n${lines.join('')}${more}`
  );
}

function purgeNote(ctx: AuditCliContext): void {
  const anchor = ctx.log.head()?.anchor.seq ?? 0;
  if (anchor > 0) ctx.output.err(`Note: entries 1–${anchor} were delivered to the central record and purged from this device; ask the central record for those.\n`);
}

/** `audit verify`: exit 0 when the whole chain from the anchor to the head is intact, 2 at the first break. */
export async function verifyCommand(ctx: AuditCliContext): Promise<number> {
  const verdict = ctx.log.verify();
  const head = ctx.log.head();
  const stats = ctx.log.stats();
  if (!verdict.ok) {
    await ctx.output.out(`Audit trail BROKEN at entry ${verdict.brokenAtSeq}: ${BREAK_TEXT[verdict.reason]} (${verdict.reason}).\n`);
    return EXIT.broken;
  }
  const anchor = head?.anchor.seq ?? 0;
  const held = verdict.count > 0 ? `entries ${anchor + 1}–${verdict.lastSeq}` : 'no entries';
  await ctx.output.out(
    `Audit trail OK: ${verdict.count} entries held on this device (${held}); ${anchor} earlier entries delivered and purged.\n` +
      `Waiting to upload: ${stats.pending}; set aside after the central record refused them: ${stats.quarantined}.\n` +
      setAsideText(ctx),
  );
  return EXIT.ok;
}

const CSV_COLUMNS = [
  'seq', 'recorded_at', 'action', 'user_id', 'role', 'patient_id', 'nhs_number', 'purpose', 'purpose_of_use',
  'outcome', 'offline', 'clock_skewed', 'device_id', 'acknowledged', 'event_id', 'hash',
] as const;

/** One CSV field (RFC 4180), defused against spreadsheet formula injection (OWASP "CSV Injection"). */
export function csvField(value: string | number | boolean | null): string {
  let text = value === null ? '' : terminalSafe(String(value));
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(row: AuditRow): string {
  const entry = toReportEntry(row);
  const values = [
    row.seq, row.recordedAt, row.action, row.userId, entry.role, row.patientId, row.patientNhs, entry.purpose, entry.purposeOfUse,
    entry.outcome, entry.isOffline, entry.isClockSkewed, entry.deviceId, entry.isAcknowledged, row.eventId, row.hash,
  ];
  return `${values.map(csvField).join(',')}\r\n`;
}

export type ExportOptions = Readonly<{ fromIso: string; toIso: string; format: 'fhir' | 'csv'; sink: CliOutput['out'] }>;

/**
 * `audit export`: entries recorded (device time) in [from, to), streamed — a FHIR collection
 * Bundle of AuditEvents with their chain extensions, or CSV.
 */
export async function exportCommand(ctx: AuditCliContext, options: ExportOptions): Promise<number> {
  const count = ctx.log.countRecordedBetween(options.fromIso, options.toIso);
  auditOwnUse(ctx, 'audit.export', { detail: { count, format: options.format } });
  const { sink } = options;
  if (options.format === 'csv') await sink(`${CSV_COLUMNS.join(',')}\r\n`);
  else await sink('{"resourceType":"Bundle","type":"collection","entry":[');
  let written = 0;
  for (const row of ctx.log.recordedBetween(options.fromIso, options.toIso)) {
    if (options.format === 'csv') await sink(csvLine(row));
    else {
      let resource: unknown;
      try {
        resource = renderAuditEvent(row, row.body, row);
      } catch {
        ctx.output.err(`Entry ${row.seq} is in a format this version cannot render; it is left out of the FHIR export.\n`);
        continue;
      }
      await sink(`${written ? ',' : ''}\n${JSON.stringify({ fullUrl: `urn:uuid:${row.eventId}`, resource })}`);
    }
    written++;
  }
  if (options.format === 'fhir') await sink('\n]}\n');
  ctx.output.err(`Exported ${written} entries. The export names patients: handle it under your information governance policy.\n`);
  const setAside = setAsideText(ctx);
  if (setAside) ctx.output.err(setAside);
  purgeNote(ctx);
  return EXIT.ok;
}

/** `audit patient <NHS number>`: who saw this patient's record on this device, when and why. */
export async function patientCommand(ctx: AuditCliContext, nhsNumber: string, format: 'text' | 'csv'): Promise<number> {
  const patientIds = ctx.log.patientIdsForNhsNumber(nhsNumber);
  const rows = ctx.log.forPatients(patientIds, 100_000);
  // The look-up is itself an access to the audit trail: recorded before anything is shown, one
  // entry per patient record found (or one naming only the NHS number when none is).
  if (patientIds.length === 0) auditOwnUse(ctx, 'audit.report', { patientNhsNumber: nhsNumber, detail: { count: 0 } });
  for (const patientId of patientIds) auditOwnUse(ctx, 'audit.report', { patientId, patientNhsNumber: nhsNumber, detail: { count: rows.length } });
  if (format === 'csv') {
    await ctx.output.out(`${CSV_COLUMNS.join(',')}\r\n`);
    for (const row of rows) await ctx.output.out(csvLine(row));
  } else if (rows.length === 0) {
    await ctx.output.out('No access to this patient is recorded on this device.\n');
  } else {
    await ctx.output.out('recorded_at (device)      user                    role          action          outcome  offline  purpose\n');
    for (const row of rows) {
      const e = toReportEntry(row);
      const cells = [row.recordedAt, row.userId, e.role ?? '-', row.action, e.outcome, e.isOffline ? 'yes' : 'no'].map(terminalSafe);
      const widths = [24, 22, 12, 14, 7, 7];
      const line = cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
      await ctx.output.out(`${line}  ${terminalSafe(e.purpose ?? '')}${e.isClockSkewed ? '  [device clock skewed]' : ''}\n`);
    }
  }
  ctx.output.err(`${rows.length} entries about ${patientIds.length} patient record(s) on this device.\n`);
  purgeNote(ctx);
  return EXIT.ok;
}
