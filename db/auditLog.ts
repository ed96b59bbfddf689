import { randomUUID } from 'node:crypto';
import {
  type AuditEntryIndex,
  type ChainAnchor,
  type ChainVerdict,
  chainHashOfCanonical,
  createChainVerifier,
  entryCanonicalJson,
} from '../core/auditChain';
import { splitFact } from '../core/auditEntry';
import type { AuditFact } from '../core/auditEvent';
import { AppError } from '../core/errors';
import { type AuditDelivery, createAuditDelivery } from './auditDelivery';
import { type AuditQueries, createAuditQueries } from './auditQueries';
import { sha256Hex } from './auditHash';
import { openAuditSchema } from './auditSchema';
import type { SQLiteDatabase } from './storage/sqlHelpers';

export { sha256Hex };

export type AuditRow = Readonly<{
  seq: number;
  eventId: string;
  recordedAt: string;
  action: string;
  userId: string;
  patientId: string | null;
  patientNhs: string | null;
  /** The entry's details as canonical JSON (core/auditEntry.ts); renderAuditEvent makes the AuditEvent. */
  body: string;
  prevHash: string;
  hash: string;
  acked: number;
}>;

export type AuditHead = Readonly<{ head: ChainAnchor; anchor: ChainAnchor }>;

export type AuditLog = AuditQueries &
  AuditDelivery &
  Readonly<{
    /** Appends one entry in its own durable transaction; throws AppError('audit-failed') when it cannot. */
    append(fact: AuditFact): AuditRow;
    /** Appends several entries in one durable transaction (all or none). */
    appendMany(facts: readonly AuditFact[]): AuditRow[];
    /**
     * Group commit: resolves once the entry is durable. Calls made in the same turn of the event
     * loop share one transaction and one fsync; if it fails, every one of them is rejected.
     */
    appendAsync(fact: AuditFact): Promise<AuditRow>;
    /** The chain head and the anchor (last purged entry); null if the head row is gone. */
    head(): AuditHead | null;
    /** Streams the whole chain from the anchor: OK, or the first broken link. Bounded memory. */
    verify(): ChainVerdict;
  }>;

type Pending = Readonly<{ fact: AuditFact; resolve: (row: AuditRow) => void; reject: (error: unknown) => void }>;
type HeadRow = { headSeq: number; headHash: string; anchorSeq: number; anchorHash: string };

const auditFailed = (cause: unknown) =>
  new AppError('audit-failed', 'The access could not be recorded in the audit trail, so nothing was shown.', { cause });

/** Rows per page when verifying: about 3 MB. */
const VERIFY_PAGE = 5000;

/** Largest group committed in one transaction; the rest wait for the next. */
const MAX_GROUP = 1000;

/**
 * The hash-chained audit trail, in the same encrypted file as the cached records. Brings the file
 * to the current format first (db/migrations): throws AppError('storage-failed') for a file from
 * a newer build (NewerDatabaseError, nothing written) or a step that failed (rolled back).
 */
export function createAuditLog(db: SQLiteDatabase): AuditLog {
  openAuditSchema(db);
  const headStatement = db.prepare(
    'SELECT head_seq AS headSeq, head_hash AS headHash, anchor_seq AS anchorSeq, anchor_hash AS anchorHash FROM audit_head WHERE id = 1',
  );
  const insertStatement = db.prepare(
    `INSERT INTO audit_log (seq, event_id, recorded_at, action, user_id, patient_id, patient_nhs, body, prev_hash, hash)
     VALUES (@seq, @eventId, @recordedAt, @action, @userId, @patientId, @patientNhs, @body, @prevHash, @hash)`,
  );
  // Pages by seq rather than one long iterate(): fewer crossings into the driver, memory still bounded.
  const chainPage = db
    .prepare(
      'SELECT seq, event_id, recorded_at, action, user_id, patient_id, patient_nhs, body, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    .raw(true);

  const readHead = (): AuditHead | null => {
    const row = headStatement.get() as HeadRow | undefined;
    return row ? { head: { seq: row.headSeq, hash: row.headHash }, anchor: { seq: row.anchorSeq, hash: row.anchorHash } } : null;
  };

  /** Builds the event outside the transaction: a fact that cannot be serialised fails alone. */
  const prepare = (fact: AuditFact): { index: AuditEntryIndex; body: string } => {
    const { index, detailsJson } = splitFact(fact, randomUUID());
    return { index, body: detailsJson };
  };

  // Run with .immediate(): the write lock is taken before the head is read, so two writers
  // (the app and the IG command line) cannot fork the chain.
  const insertAll = db.transaction((prepared: readonly ReturnType<typeof prepare>[]): AuditRow[] => {
    const current = readHead();
    if (!current) throw new Error('audit_head is missing');
    let { seq, hash: prevHash } = current.head;
    const rows: AuditRow[] = [];
    for (const { index, body } of prepared) {
      seq += 1;
      const hash = chainHashOfCanonical(sha256Hex, prevHash, seq, entryCanonicalJson(index, body));
      const row: AuditRow = { seq, ...index, body, prevHash, hash, acked: 0 };
      insertStatement.run(row);
      rows.push(row);
      prevHash = hash;
    }
    return rows;
  });

  const appendMany = (facts: readonly AuditFact[]): AuditRow[] => {
    try {
      return insertAll.immediate(facts.map(prepare));
    } catch (error) {
      throw auditFailed(error);
    }
  };

  let queue: Pending[] = [];
  const flush = () => {
    const group = queue.slice(0, MAX_GROUP);
    queue = queue.slice(MAX_GROUP);
    if (queue.length) setImmediate(flush);
    const ready: { prepared: ReturnType<typeof prepare>; pending: Pending }[] = [];
    for (const item of group) {
      try {
        ready.push({ prepared: prepare(item.fact), pending: item });
      } catch (error) {
        item.reject(auditFailed(error));
      }
    }
    if (!ready.length) return;
    let rows: AuditRow[];
    try {
      rows = insertAll.immediate(ready.map((r) => r.prepared));
    } catch (error) {
      for (const r of ready) r.pending.reject(auditFailed(error));
      return;
    }
    ready.forEach((r, i) => r.pending.resolve(rows[i] as AuditRow));
  };

  return {
    ...createAuditQueries(db),
    ...createAuditDelivery(db, readHead),
    append: (fact) => appendMany([fact])[0] as AuditRow,
    appendMany,
    appendAsync(fact) {
      return new Promise<AuditRow>((resolve, reject) => {
        queue.push({ fact, resolve, reject });
        if (queue.length === 1) setImmediate(flush);
      });
    },
    head: readHead,
    verify() {
      // One read transaction: the head and the rows come from the same snapshot.
      return db.transaction((): ChainVerdict => {
        const current = readHead();
        if (!current) return { ok: false, brokenAtSeq: 0, reason: 'head-missing' };
        const verifier = createChainVerifier(sha256Hex, current.anchor);
        // From the very first row, so rows left at or below the anchor (or forged below it) are caught too.
        for (let after = Number.NEGATIVE_INFINITY; ; ) {
          const rows = chainPage.all(after, VERIFY_PAGE) as [number, string, string, string, string, string | null, string | null, string, string, string][];
          for (const [seq, eventId, recordedAt, action, userId, patientId, patientNhs, body, prevHash, hash] of rows) {
            const broken = verifier.next(seq, prevHash, hash, entryCanonicalJson({ eventId, recordedAt, action, userId, patientId, patientNhs }, body));
            if (broken) return broken;
          }
          if (rows.length < VERIFY_PAGE) break;
          after = rows[rows.length - 1]![0];
        }
        return verifier.finish(current.head);
      })();
    },
  };
}
