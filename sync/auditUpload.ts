import type { AuditEvent } from '@medplum/fhirtypes';
import { renderAuditEvent, renderSanitisedAuditEvent } from '../core/auditEntry';
import type { AuditLog, AuditRow } from '../db/auditLog';
import { type AnchorOutcome, createAnchorSender } from './auditAnchor';
import { type FhirClient, FhirClientError, type FhirFailureReason } from './fhirClient';

/**
 * Delivers the audit trail to the central record (issue #3, DESIGN §5): unacknowledged entries
 * in sequence order, as AuditEvent resources under their client-generated ids, in transaction
 * Bundles of PUTs — so a retry after a lost answer rewrites the same resources, never adds new
 * ones. Entries are marked acknowledged only after the server's success, and purged (after a
 * retention period, with the chain anchor moved in the same transaction) only once acknowledged.
 * A crash at any point leaves each entry either still local or already on the server.
 *
 * Issue #10: an entry the central record refuses in its plain form is sent again sanitised
 * (core/auditEntry.ts renderSanitisedAuditEvent: hidden characters shown as escapes, the hashed
 * text carried as base64), and only set aside if that too is refused — so a reason holding ESC or
 * BEL cannot keep a break-glass out of the central audit. Each run first sends the chain head as
 * an anchor (sync/auditAnchor.ts), one small request, so a rewrite of entries not yet delivered
 * is detectable centrally even while the entries themselves cannot go.
 */
export type AuditUploadOptions = Readonly<{
  /** The one FHIR client (timeouts, bearer token). Give it one attempt: this uploader's own runs are the retries. */
  client: FhirClient;
  log: AuditLog;
  /** This device's id (the `device-id` file): the chain head is anchored under it. Without it no anchor is sent. */
  deviceId?: string;
  /** Entries per transaction Bundle (default 50). */
  batchSize?: number;
  /** Bundles per run (default 20): bounded, so a long backlog cannot hold up record sync. */
  maxBatches?: number;
  now?: () => Date;
  /** How long acknowledged entries stay on the device for "my recent accesses" (default 7 days). */
  retainAckedMs?: number;
  /** After each Bundle: for progress, and for the crash tests. */
  onBatch?: (acked: number) => void;
  /** After the server's success, before the local acknowledgement: for the crash tests. */
  onServerSuccess?: (entries: number) => void;
}>;

export type AuditUploadResult = Readonly<{
  uploaded: number;
  /** Entries refused by the server in this run, in plain and sanitised form, and set aside (kept locally, retried later). */
  quarantined: number;
  /** Entries delivered in their sanitised form after the plain one was refused (counted in `uploaded` too). */
  sanitised: number;
  /** What became of this run's chain-head anchor; null when none was tried (no device id). */
  anchor: AnchorOutcome | null;
  purged: number;
  /** Entries still waiting after this run. */
  remaining: number;
  failure: FhirFailureReason | null;
  /** Server clock minus device clock at the last answer (HTTP Date), for audit skew flags. */
  clockSample: Readonly<{ serverTime: string; offsetMs: number }> | null;
}>;

type Answer =
  | Readonly<{ kind: 'ok' }>
  | Readonly<{ kind: 'rejected'; status: number }>
  | Readonly<{ kind: 'failed'; reason: FhirFailureReason }>;

type Rendered = Readonly<{ row: AuditRow; event: AuditEvent }>;

type Tally = { uploaded: number; quarantined: number; sanitised: number };

const DAY_MS = 24 * 60 * 60 * 1000;

export function createAuditUploader(options: AuditUploadOptions) {
  const { log, client } = options;
  const baseUrl = client.baseUrl;
  const batchSize = options.batchSize ?? 50;
  const maxBatches = options.maxBatches ?? 20;
  const now = options.now ?? (() => new Date());
  const retainAckedMs = options.retainAckedMs ?? 7 * DAY_MS;
  let clockSample: AuditUploadResult['clockSample'] = null;
  let hasRetriedQuarantine = false;
  let running: Promise<AuditUploadResult> | null = null;
  let anchoring: Promise<AnchorOutcome> | null = null;
  let isStopped = false;

  const sampleClock = (serverTime: string) => {
    if (Number.isFinite(Date.parse(serverTime))) clockSample = { serverTime, offsetMs: Date.parse(serverTime) - now().getTime() };
  };
  const anchorSender = options.deviceId ? createAnchorSender({ client, log, deviceId: options.deviceId, now, onServerTime: sampleClock }) : null;

  const bundleOf = (rows: readonly Rendered[]) => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: rows.map(({ row, event }) => ({ fullUrl: `${baseUrl}/AuditEvent/${row.eventId}`, resource: event, request: { method: 'PUT', url: `AuditEvent/${row.eventId}` } })),
  });

  /** The next entries to send, rendered; one this build cannot render is set aside, never sent. */
  function nextRendered(): Rendered[] {
    const rendered: Rendered[] = [];
    for (const row of log.pending(batchSize)) {
      try {
        rendered.push({ row, event: renderAuditEvent(row, row.body, row) });
      } catch {
        log.quarantine(row.seq, null, now().toISOString());
      }
    }
    return rendered;
  }

  /** POSTs one transaction; only a complete transaction-response with a 2xx per entry is success. */
  async function send(rows: readonly Rendered[]): Promise<Answer> {
    let outcome;
    try {
      outcome = await client.transaction(bundleOf(rows));
    } catch (error) {
      if (!(error instanceof FhirClientError)) return { kind: 'failed', reason: 'offline' };
      // An answer we cannot read may or may not have been applied: not acknowledged; the retry is idempotent.
      return { kind: 'failed', reason: error.reason === 'bad-data' ? 'offline' : error.reason };
    }
    if (outcome.serverTime) sampleClock(outcome.serverTime);
    if (!outcome.isOk) {
      if (outcome.status === 408 || outcome.status === 429 || outcome.status >= 500) return { kind: 'failed', reason: 'server-error' };
      return { kind: 'rejected', status: outcome.status };
    }
    const statuses = outcome.entries.map((e) => e.response?.status ?? '');
    if (statuses.length === rows.length && statuses.every((s) => s.startsWith('2'))) return { kind: 'ok' };
    return { kind: 'failed', reason: 'offline' };
  }

  /** The sanitised form; null if this build cannot render the entry at all. */
  function sanitisedOf(row: AuditRow): AuditEvent | null {
    try {
      return renderSanitisedAuditEvent(row, row.body, row);
    } catch {
      return null;
    }
  }

  /**
   * One entry on its own: the plain form, then, if the central record refuses that, the sanitised
   * form (issue #10). Acknowledged on success; set aside only when both are refused.
   */
  async function sendAlone(row: AuditRow, plain: AuditEvent, tally: Tally, isSetAside = false): Promise<FhirFailureReason | null> {
    let answer = await send([{ row, event: plain }]);
    const sanitised = answer.kind === 'rejected' ? sanitisedOf(row) : null;
    if (sanitised) answer = await send([{ row, event: sanitised }]);
    if (answer.kind === 'failed') return answer.reason;
    if (answer.kind === 'ok') {
      const acked = log.markAcked([row.seq]);
      tally.uploaded += acked;
      if (sanitised) tally.sanitised += acked;
    } else if (!isSetAside) {
      log.quarantine(row.seq, answer.status, now().toISOString());
      tally.quarantined++;
    }
    return null;
  }

  /**
   * A refused Bundle applied nothing. Send its entries one by one, in order, to find those the
   * server refuses (LESSONS: one bad resource never blocks the queue).
   */
  async function isolate(rows: readonly Rendered[], tally: Tally): Promise<FhirFailureReason | null> {
    for (const one of rows) {
      const failure = await sendAlone(one.row, one.event, tally);
      if (failure) return failure;
    }
    return null;
  }

  /** Once per start: the server may accept now what it refused before (a fixed validator). */
  async function retrySetAside(tally: Tally): Promise<void> {
    hasRetriedQuarantine = true;
    for (const row of log.quarantined(batchSize)) {
      let event;
      try {
        event = renderAuditEvent(row, row.body, row);
      } catch {
        continue;
      }
      if (await sendAlone(row, event, tally, true)) break;
    }
  }

  function anchor(): Promise<AnchorOutcome> {
    if (!anchorSender || isStopped) return Promise.resolve({ kind: 'skipped' });
    anchoring ??= anchorSender.send().finally(() => {
      anchoring = null;
    });
    return anchoring;
  }

  async function runOnce(): Promise<AuditUploadResult> {
    const tally: Tally = { uploaded: 0, quarantined: 0, sanitised: 0 };
    let failure: FhirFailureReason | null = null;
    // First and on its own: a few hundred bytes that get through where a Bundle of entries may not.
    const anchorOutcome = anchorSender ? await anchor() : null;
    if (!hasRetriedQuarantine) await retrySetAside(tally);
    for (let batch = 0; batch < maxBatches && !isStopped && failure === null; batch++) {
      const rows = nextRendered();
      if (rows.length === 0) {
        if (log.pending(1).length === 0) break;
        continue; // every entry of this batch was set aside; look at the next ones
      }
      const answer = await send(rows);
      if (answer.kind === 'ok') {
        // Only now: the server has every entry of the Bundle.
        options.onServerSuccess?.(rows.length);
        tally.uploaded += log.markAcked(rows.map((r) => r.row.seq));
      } else if (answer.kind === 'rejected') {
        failure = await isolate(rows, tally);
      } else {
        failure = answer.reason;
      }
      options.onBatch?.(tally.uploaded);
    }
    const { purged } = log.purgeAcked(new Date(now().getTime() - retainAckedMs).toISOString());
    return { ...tally, purged, remaining: log.stats().pending, failure, clockSample, anchor: anchorOutcome };
  }

  return {
    /** Uploads what is waiting, bounded, after anchoring the chain head; one run at a time (a second call joins the first). */
    run(): Promise<AuditUploadResult> {
      running ??= runOnce().finally(() => {
        running = null;
      });
      return running;
    },
    /**
     * Sends only the chain-head anchor: call it at the start of every sync, before anything else
     * (sync/auditAnchor.ts). Never throws; one at a time (a second call joins the first).
     */
    anchor,
    clockSample: () => clockSample,
    /** No new Bundles; waits for the one in flight, so the store can close under no writer. */
    async stop() {
      isStopped = true;
      await Promise.all([running, anchoring]);
    },
  };
}
export type AuditUploader = ReturnType<typeof createAuditUploader>;
