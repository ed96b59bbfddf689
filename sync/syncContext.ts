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
};

export type PurgeNotice = Readonly<{ patientId: string; reason: 'left-scope' | 'deleted-on-server' | 'expired'; resourceCount: number }>;

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
  /** Server time each scope's Consent pull began in this run, when its confirmation waits for the caller. */
  consentPullStartedAt: Map<ScopeName, string>;
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
