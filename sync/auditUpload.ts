import type { AuditEvent } from '@medplum/fhirtypes';
import { renderAuditEvent } from '../core/auditEntry';
import type { AuditLog, AuditRow } from '../db/auditLog';
import { type FhirClient, FhirClientError, type FhirFailureReason } from './fhirClient';

/**
 * Delivers the audit trail to the central record (issue #3, DESIGN §5): unacknowledged entries
 * in sequence order, as AuditEvent resources under their client-generated ids, in transaction
 * Bundles of PUTs — so a retry after a lost answer rewrites the same resources, never adds new
 * ones. Entries are marked acknowledged only after the server's success, and purged (after a
 * retention period, with the chain anchor moved in the same transaction) only once acknowledged.
 * A crash at any point leaves each entry either still local or already on the server.
 */
export type AuditUploadOptions = Readonly<{
  /** The one FHIR client (timeouts, bearer token). Give it one attempt: this uploader's own runs are the retries. */
  client: FhirClient;
  log: AuditLog;
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
  /** Entries refused by the server in this run and set aside (kept locally, retried later). */
  quarantined: number;
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
  let isStopped = false;

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
    if (outcome.serverTime && Number.isFinite(Date.parse(outcome.serverTime))) {
      clockSample = { serverTime: outcome.serverTime, offsetMs: Date.parse(outcome.serverTime) - now().getTime() };
    }
    if (!outcome.isOk) {
      if (outcome.status === 408 || outcome.status === 429 || outcome.status >= 500) return { kind: 'failed', reason: 'server-error' };
      return { kind: 'rejected', status: outcome.status };
    }
    const statuses = outcome.entries.map((e) => e.response?.status ?? '');
    if (statuses.length === rows.length && statuses.every((s) => s.startsWith('2'))) return { kind: 'ok' };
    return { kind: 'failed', reason: 'offline' };
  }

  /**
   * A refused Bundle applied nothing. Send its entries one by one, in order, to find those the
   * server refuses: they are set aside (LESSONS: one bad resource never blocks the queue).
   */
  async function isolate(rows: readonly Rendered[]): Promise<{ acked: number; quarantined: number; failure: FhirFailureReason | null }> {
    let acked = 0;
    let quarantined = 0;
    for (const one of rows) {
      const answer = await send([one]);
      if (answer.kind === 'failed') return { acked, quarantined, failure: answer.reason };
      if (answer.kind === 'ok') acked += log.markAcked([one.row.seq]);
      else {
        log.quarantine(one.row.seq, answer.status, now().toISOString());
        quarantined++;
      }
    }
    return { acked, quarantined, failure: null };
  }

  async function runOnce(): Promise<AuditUploadResult> {
    let uploaded = 0;
    let quarantined = 0;
    let failure: FhirFailureReason | null = null;
    if (!hasRetriedQuarantine) {
      // Once per start: the server may accept now what it refused before (a fixed validator).
      hasRetriedQuarantine = true;
      for (const row of log.quarantined(batchSize)) {
        let event;
        try {
          event = renderAuditEvent(row, row.body, row);
        } catch {
          continue;
        }
        const answer = await send([{ row, event }]);
        if (answer.kind === 'failed') break;
        if (answer.kind === 'ok') uploaded += log.markAcked([row.seq]);
      }
    }
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
        uploaded += log.markAcked(rows.map((r) => r.row.seq));
      } else if (answer.kind === 'rejected') {
        const result = await isolate(rows);
        uploaded += result.acked;
        quarantined += result.quarantined;
        failure = result.failure;
      } else {
        failure = answer.reason;
      }
      options.onBatch?.(uploaded);
    }
    const { purged } = log.purgeAcked(new Date(now().getTime() - retainAckedMs).toISOString());
    return { uploaded, quarantined, purged, remaining: log.stats().pending, failure, clockSample };
  }

  return {
    /** Uploads what is waiting, bounded; one run at a time (a second call joins the first). */
    run(): Promise<AuditUploadResult> {
      running ??= runOnce().finally(() => {
        running = null;
      });
      return running;
    },
    clockSample: () => clockSample,
    /** No new Bundles; waits for the one in flight, so the store can close under no writer. */
    async stop() {
      isStopped = true;
      await running;
    },
  };
}
export type AuditUploader = ReturnType<typeof createAuditUploader>;
