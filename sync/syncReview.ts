import { type PurgedItemView, type SyncConflictView, purgedItemViewSchema } from '../core/views';
import { combineVersions, fieldDifferences } from '../core/conflictMerge';
import type { ConflictVersions } from '../core/conflictText';
import { AppError } from '../core/errors';
import type { IssueRepo } from '../db/issueRepo';
import type { SyncIssueDoc } from '../db/schemas';
import type { LocalWrites } from './outbox';

/** Top-level fields whose values differ: enough to point a clinician at the change, no values. */
export function changedFields(local: Record<string, unknown> | null, server: Record<string, unknown> | null): string[] {
  return fieldDifferences(local ?? {}, server ?? {}, null).map((d) => d.field);
}

const versionOf = (r: Record<string, unknown> | null) => String((r?.meta as { versionId?: unknown } | undefined)?.versionId ?? '');

export function conflictView(issue: SyncIssueDoc): SyncConflictView {
  return {
    conflictId: issue.key,
    resourceType: issue.resourceType,
    resourceId: issue.resourceId,
    patientId: issue.patientId,
    at: issue.at,
    changedFields: changedFields(issue.local, issue.server),
    serverVersionId: versionOf(issue.server),
  };
}

/** Both versions of one open conflict, with the version the local edit started from (issue #14). */
export function conflictVersions(issue: SyncIssueDoc): ConflictVersions {
  return {
    conflictId: issue.key,
    resourceType: issue.resourceType,
    resourceId: issue.resourceId,
    patientId: issue.patientId,
    at: issue.at,
    local: issue.local,
    server: issue.server,
    base: issue.base ?? null,
    localRecordedAt: issue.localRecordedAt ?? '',
  };
}

/** Reasons the purged list can show; one this build does not know reads as 'left-scope'. */
const SHOWN_REASONS: ReadonlySet<string> = new Set(purgedItemViewSchema.shape.reason.options);
const isShownReason = (reason: string): reason is PurgedItemView['reason'] => SHOWN_REASONS.has(reason);

export function purgedView(issue: SyncIssueDoc): PurgedItemView {
  const [reason = 'left-scope', scopes = ''] = issue.reason.split('|');
  return {
    at: issue.at,
    patientId: issue.patientId,
    reason: isShownReason(reason) ? reason : 'left-scope',
    scopes: scopes ? scopes.split(',') : [],
    resourceCount: issue.count,
  };
}

export type ConflictChoice = 'keep-server' | 'reapply-local' | 'combine';

/** The version a choice sends, or null when it sends nothing (the central record's version stands). */
function chosenVersion(issue: SyncIssueDoc, choice: ConflictChoice): Record<string, unknown> | null {
  if (choice === 'keep-server') return null;
  if (!issue.local) throw new AppError('not-found', 'The version saved on this device is no longer held, so only the central record’s version can be kept.');
  if (choice === 'reapply-local') return issue.local;
  if (!issue.server) throw new AppError('bad-request', 'The central record’s version could not be read, so there is nothing to combine with.');
  const combined = combineVersions(issue.local, issue.server, issue.base ?? null);
  if (!combined.isPossible) throw new AppError('bad-request', combined.reason);
  return combined.resource;
}

/**
 * A clinician's decision on a conflict: keep the central record's version, send the local edit
 * again on top of it, or send both combined (core/conflictMerge.ts). What is sent goes through the
 * outbox like any write, with If-Match the server version, so a third edit would conflict again.
 */
export async function resolveConflict(issues: IssueRepo, writes: LocalWrites, conflictId: string, choice: ConflictChoice): Promise<void> {
  const issue = await issues.get(conflictId);
  if (!issue || issue.kind !== 'conflict' || issue.state !== 'open') throw new AppError('not-found', 'This conflict has already been resolved or does not exist.');
  const chosen = chosenVersion(issue, choice);
  if (chosen) await writes.requeue({ ...chosen, resourceType: issue.resourceType, id: issue.resourceId }, versionOf(issue.server));
  await issues.put({ ...issue, state: 'resolved' });
}
