import { AppError } from '../../core/errors';
import type { CallContext, Handlers } from '../dispatch';
import type { AppState } from './appState';

type SyncHandlers = Pick<Handlers, 'conflicts.list' | 'conflicts.resolve' | 'purged.list'>;

/**
 * Roles that may decide a conflict between two clinical edits (DESIGN §4: "kept for a clinician"):
 * clinicians, and paramedics, who made most field edits and know which version is right.
 */
const MAY_RESOLVE = new Set(['clinician', 'paramedic']);
const MAY_RESOLVE_MESSAGE = 'Only clinicians and paramedics can decide between two versions of a record.';

/**
 * Issue #6: the conflict review queue and the purge list. Both return identifiers, times and field
 * names only, never clinical values, so listing needs no patient-data audit entry of its own; a
 * resolution changes a patient's record, so each one is audited (before it is applied).
 */
export function createSyncHandlers(state: AppState): SyncHandlers {
  const session = (context: CallContext) => {
    if (!context.session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
    return context.session;
  };
  return {
    'conflicts.list': async (_params, context) => {
      session(context);
      return { conflicts: await state.requireSync().conflicts() };
    },
    'conflicts.resolve': async ({ conflictId, choice }, context) => {
      const who = session(context);
      if (!MAY_RESOLVE.has(who.user.role)) throw new AppError('forbidden', MAY_RESOLVE_MESSAGE);
      const sync = state.requireSync();
      const conflict = (await sync.conflicts()).find((c) => c.conflictId === conflictId);
      if (!conflict) throw new AppError('not-found', 'That conflict is no longer waiting for review.');
      // Ids and the choice only: no clinical values in the entry's purpose.
      const entry = (outcome: 'success' | 'failure') => ({
        user: who.user,
        practitionerId: who.practitionerId,
        action: 'conflict.resolve' as const,
        patientId: conflict.patientId,
        purpose: `${choice}: ${conflict.resourceType}/${conflict.resourceId}`,
        outcome,
      });
      state.appendAudit(entry('success')); // no entry, no change (throws AppError 'audit-failed')
      try {
        await sync.resolveConflict(conflictId, choice);
      } catch (error) {
        await state.audit.appendOrDefer(entry('failure')); // the first entry named an intent that did not happen
        throw error;
      }
      return {};
    },
    'purged.list': async ({ limit }, context) => {
      session(context);
      return { items: await state.requireSync().purged(limit) };
    },
  };
}
