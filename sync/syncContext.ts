import type { IssueRepo } from '../db/issueRepo';
import type { ResourceRepo } from '../db/resourceRepo';
import type { SyncStateRepo } from '../db/syncStateRepo';
import type { FhirClient } from './fhirClient';
import type { Progress } from './progress';
import type { ScopeBook, ScopeName } from './scopeBook';

/** Counters a run keeps for status, audit and the benchmark. */
export type PullStats = {
  pages: number;
  resources: number;
  /** Resources received again after a resume (already committed at the cursor): the re-sent work. */
  duplicates: number;
  quarantined: number;
  deleted: number;
  purgedPatients: number;
  /** Incoming resources not cached because they are restricted or the patient objects to sharing (sync/privacy.ts). */
  withheld: number;
};

/**
 * One purge, for the audit entry written before anything is removed. 'restricted' and
 * 'sharing-objection' remove part of a patient's record (a label or a Consent changed on the
 * server, sync/privacy.ts); the others remove the patient whole.
 */
export type PurgeNotice = Readonly<{
  patientId: string;
  reason: 'left-scope' | 'deleted-on-server' | 'expired' | 'restricted' | 'sharing-objection';
  resourceCount: number;
}>;

/** A type's completed pull whose confirmation waits for the caller (the incident safety tier waits for its deletions). */
export type PendingConfirmation = Readonly<{ scope: ScopeName; type: string; at: string }>;

/** Everything one sync run shares; built fresh per run so nothing leaks between runs. */
export type SyncContext = Readonly<{
  client: FhirClient;
  resources: ResourceRepo;
  state: SyncStateRepo;
  issues: IssueRepo;
  book: ScopeBook;
  progress: Progress;
  pageSize: number;
  stats: PullStats;
  /** Checkpoint keys that exist (`cp:scope:type`), to know which types a joining patient still needs. */
  checkpoints: Set<string>;
  /** Types whose deletions (type history) were read in this run. */
  deletionsRead: Set<string>;
  /** Completed pulls whose confirmation waits for the caller (after the incident safety tier's deletions). */
  deferredConfirmations: PendingConfirmation[];
  /**
   * Patients whose objection to sharing is known in this run (their Consents were read): only
   * those may have anything beyond demographics stored (sync/privacy.ts).
   */
  screened: Set<string>;
  /** How long an incident patient stays after the incident leaves this vehicle (see INCIDENT_EXIT_GRACE_MS). */
  incidentGraceMs: number;
  /** Server time of the latest answer (HTTP Date): the clock for holds and purges, never the device's. */
  serverNow(): string;
  noteServerTime(serverTime: string): void;
  /** Writes the purge audit entry; throws to refuse the purge (no entry, no purge). */
  auditPurge(notice: PurgeNotice): void | Promise<void>;
}>;

export const checkpointKey = (scope: ScopeName, type: string) => `cp:${scope}:${type}`;
export const historyKey = (type: string) => `hist:${type}`;

/** The types a patient joining `scope` now must still fetch whole: those whose checkpoint already began. */
export function pendingTypesOnJoin(ctx: SyncContext, scope: ScopeName, types: readonly string[], except: readonly string[] = []): string[] {
  return types.filter((t) => ctx.checkpoints.has(checkpointKey(scope, t)) && !except.includes(t));
}
