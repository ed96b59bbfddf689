import { type PurgedItemView, type SyncConflictView, purgedItemViewSchema } from '../core/views';
import { canonicalJson } from '../core/canonicalJson';
import { AppError } from '../core/errors';
import type { IssueRepo } from '../db/issueRepo';
import type { SyncIssueDoc } from '../db/schemas';
import type { LocalWrites } from './outbox';

const IGNORED_FIELDS = new Set(['meta', 'id', 'resourceType', 'text']);

/** Top-level fields whose values differ: enough to point a clinician at the change, no values. */
export function changedFields(local: Record<string, unknown> | null, server: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(local ?? {}), ...Object.keys(server ?? {})]);
  const differs = (k: string) => canonicalJson(local?.[k] ?? null) !== canonicalJson(server?.[k] ?? null);
  return [...keys].filter((k) => !IGNORED_FIELDS.has(k) && differs(k)).sort();
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

export type ConflictChoice = 'keep-server' | 'reapply-local';

/**
 * A clinician's decision on a conflict: keep the central record's version, or send the local edit
 * again on top of it (If-Match the server version, so a third edit would conflict again).
 */
export async function resolveConflict(issues: IssueRepo, writes: LocalWrites, conflictId: string, choice: ConflictChoice): Promise<void> {
  const issue = await issues.get(conflictId);
  if (!issue || issue.kind !== 'conflict' || issue.state !== 'open') throw new AppError('not-found', 'This conflict has already been resolved or does not exist.');
  if (choice === 'reapply-local' && issue.local) await writes.requeue({ ...issue.local, resourceType: issue.resourceType, id: issue.resourceId }, versionOf(issue.server));
  await issues.put({ ...issue, state: 'resolved' });
}
