import type { AuditReportEntry } from '../../core/views';
import { joinFact } from '../../core/auditEntry';
import type { AuditAction, AuditDetail, AuditFact, PurposeOfUse } from '../../core/auditEvent';
import { isClockSkewed, purposeOfUseOf } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import type { StaffRole } from '../../core/fhirCodes';
import type { AuditLog, AuditRow } from '../../db/auditLog';
import { type AuditUploadResult, type AuditUploader, createAuditUploader } from '../../sync/auditUpload';
import type { FhirClient } from '../../sync/fhirClient';

/**
 * Who acted: a signed-in user (a UserSummary fits), a typed-in id that matched no user (role null),
 * or the device itself for background work (SYSTEM_USER_ID, role null; the device id is in every entry).
 */
export type AuditActor = Readonly<{ userId: string; role: StaffRole | null }>;

/** The user id background work (sync batches, purges) is recorded under when nobody is signed in. */
export const SYSTEM_USER_ID = 'system';

/** One thing to audit, as the services know it; the service adds device, time and clock. */
export type AuditRequest = Readonly<{
  user: AuditActor;
  practitionerId: string | null;
  action: AuditAction;
  patientId: string | null;
  purpose: string | null;
  outcome: 'success' | 'failure';
  patientNhsNumber?: string | null;
  purposeOfUse?: PurposeOfUse | null;
  detail?: AuditDetail;
}>;

export type AuditServiceDeps = Readonly<{
  deviceId: string;
  appVersion: string;
  organizationId: string | null;
  now: () => Date;
  /** The open store's audit log, or null while the device is locked. */
  log: () => AuditLog | null;
  isOnline: () => boolean;
  /** Server time of the last successful record sync. */
  lastSyncServerTime: () => string | null;
  /** The FHIR client audit is delivered with; one attempt per request (the uploader's runs are the retries). */
  client: FhirClient;
  retainAckedMs?: number;
  /** The central record's anchor no longer matches this trail (a rewrite, or a new trail): logged and shown to IG. */
  onAnchorDiverged?: () => void;
}>;

/** A report entry: what audit.mine shows, plus what a reviewer needs. */
export type { AuditReportEntry } from '../../core/views';

/** Failed sign-ins while locked wait in memory for the next unlock; bounded so guessing cannot grow it. */
const MAX_DEFERRED = 100;

/** Reads an entry for the UI without rendering the AuditEvent; a format this build cannot read shows as unknown. */
export function toReportEntry(row: AuditRow): AuditReportEntry {
  let fact: AuditFact | null = null;
  try {
    fact = joinFact(row, row.body);
  } catch {
    fact = null;
  }
  return {
    seq: row.seq,
    recordedAt: row.recordedAt,
    action: row.action,
    userId: row.userId,
    patientId: row.patientId,
    purpose: fact?.purpose ?? null,
    outcome: fact?.outcome ?? 'failure',
    isOffline: fact?.isOffline ?? false,
    role: fact?.role ?? null,
    purposeOfUse: fact ? purposeOfUseOf(fact) : null,
    deviceId: fact?.deviceId ?? null,
    isClockSkewed: isClockSkewed(fact?.clockOffsetMs),
    section: fact?.detail?.section ?? null,
    isAcknowledged: row.acked === 1,
    isSetAside: 'setAsideAt' in row && row.setAsideAt !== null,
  };
}

/**
 * The app's audit: builds each entry (device, app version, organisation, offline flag, device
 * and server time, measured clock offset), appends it durably with group commit, and delivers
 * the trail to the central record (DESIGN §5).
 */
export function createAuditService(deps: AuditServiceDeps) {
  let uploader: { log: AuditLog; uploader: AuditUploader } | null = null;
  let lastUpload: AuditUploadResult | null = null;
  const deferred: AuditFact[] = [];

  const latest = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : (a ?? b));

  function factOf(request: AuditRequest): AuditFact {
    const sample = uploader?.uploader.clockSample() ?? null;
    return {
      action: request.action,
      recordedAt: deps.now().toISOString(),
      userId: request.user.userId,
      practitionerId: request.practitionerId,
      role: request.user.role,
      organizationId: deps.organizationId,
      deviceId: deps.deviceId,
      appVersion: deps.appVersion,
      patientId: request.patientId,
      patientNhsNumber: request.patientNhsNumber ?? null,
      purpose: request.purpose,
      ...(request.purposeOfUse !== undefined ? { purposeOfUse: request.purposeOfUse } : {}),
      outcome: request.outcome,
      isOffline: !deps.isOnline(),
      lastServerTimeAt: latest(deps.lastSyncServerTime(), sample?.serverTime ?? null),
      clockOffsetMs: sample?.offsetMs ?? null,
      ...(request.detail ? { detail: request.detail } : {}),
    };
  }

  function requireLog(): AuditLog {
    const log = deps.log();
    if (!log) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
    return log;
  }

  /** One uploader per open log (the store may be closed and reopened). */
  function uploaderFor(): AuditUploader | null {
    const log = deps.log();
    if (!log) return null;
    if (uploader?.log !== log) {
      uploader = {
        log,
        uploader: createAuditUploader({
          client: deps.client,
          log,
          deviceId: deps.deviceId,
          now: deps.now,
          ...(deps.retainAckedMs !== undefined ? { retainAckedMs: deps.retainAckedMs } : {}),
        }),
      };
    }
    return uploader.uploader;
  }

  return {
    /**
     * Appends one entry; resolves once it is on disk. Callers must await it before any data
     * leaves main: a rejection (AppError 'audit-failed') means the data must not be returned.
     */
    async append(request: AuditRequest): Promise<AuditRow> {
      const log = deps.log();
      const fact = factOf(request);
      if (!log) throw new AppError('audit-failed', 'The access could not be recorded in the audit trail, so nothing was shown.');
      if (deferred.length) {
        const waiting = deferred.splice(0);
        try {
          await Promise.all(waiting.map((f) => log.appendAsync(f)));
        } catch (error) {
          deferred.unshift(...waiting); // one group: none of them was written
          throw error;
        }
      }
      return log.appendAsync(fact);
    },
    /**
     * For events that can happen while the device is locked (a failed sign-in, a sign-out): written
     * now if the store is open, otherwise (or if this write fails) kept for the next write. Never
     * throws: these events return no patient data, so a failing audit must not change their answer.
     */
    async appendOrDefer(request: AuditRequest): Promise<void> {
      const fact = factOf(request);
      const log = deps.log();
      if (log) {
        try {
          await log.appendAsync(fact);
          return;
        } catch {
          // fall through: kept in memory and written with the next entry that succeeds
        }
      }
      if (deferred.length < MAX_DEFERRED) deferred.push(fact);
    },
    /** Entries waiting in memory for the next write (failed sign-ins while locked). */
    deferredCount: (): number => deferred.length,
    /**
     * Delivers waiting entries (bounded per call; see sync/auditUpload.ts). Never throws: a failure
     * is reported in the result and the entries stay for the next call.
     */
    async upload(): Promise<AuditUploadResult | null> {
      const current = uploaderFor();
      if (!current) return null;
      try {
        lastUpload = await current.run();
      } catch {
        lastUpload = null; // e.g. the store closed under us; the entries are still there
      }
      if (lastUpload?.anchor?.kind === 'diverged') deps.onAnchorDiverged?.();
      return lastUpload;
    },
    /**
     * Sends only the chain head to the central record (one small PUT), at the start of every sync,
     * so a rewrite of entries not yet uploaded is detectable off the device (issue #10). Never throws.
     */
    async anchor(): Promise<unknown> {
      try {
        return await uploaderFor()?.anchor();
      } catch {
        return null;
      }
    },
    lastUpload: () => lastUpload,
    mine: (userId: string, limit: number): AuditReportEntry[] => requireLog().recentForUser(userId, limit).map(toReportEntry),
    breakGlass: (limit: number): AuditReportEntry[] => requireLog().byActions(['break-glass'], limit).map(toReportEntry),
    /** Entries of any kind the central record refused, even sanitised: the review must show them. */
    setAside: (limit: number): AuditReportEntry[] => requireLog().setAside(limit).map(toReportEntry),
    forPatient: (patientId: string, limit: number): AuditReportEntry[] => requireLog().forPatients([patientId], limit).map(toReportEntry),
    /** Entries up to this seq were delivered and purged: older history is on the central record. */
    purgedThroughSeq: (): number => requireLog().head()?.anchor.seq ?? 0,
    async stop() {
      await uploader?.uploader.stop();
      uploader = null;
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
