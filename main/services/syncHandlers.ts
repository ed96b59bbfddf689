import { AppError } from '../../core/errors';
import type { CallContext, Handlers } from '../dispatch';
import type { AppState } from './appState';

type SyncHandlers = Pick<Handlers, 'conflicts.list' | 'conflicts.resolve' | 'purged.list'>;

/** Roles that may decide a conflict between two clinical edits (DESIGN §4: "kept for a clinician"). */
const MAY_RESOLVE = new Set(['clinician', 'paramedic']);

/**
 * Issue #6: the conflict review queue and the purge list. Both return identifiers, times and field
 * names only, never clinical values, so they need no patient-data audit entry of their own.
 */
export function createSyncHandlers(state: AppState): SyncHandlers {
  const role = (context: CallContext) => {
    if (!context.session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
    return context.session.user.role;
  };
  return {
    'conflicts.list': async (_params, context) => {
      role(context);
      return { conflicts: await state.requireSync().conflicts() };
    },
    'conflicts.resolve': async ({ conflictId, choice }, context) => {
      if (!MAY_RESOLVE.has(role(context))) throw new AppError('forbidden', 'Only a clinician can decide between two versions of a record.');
      await state.requireSync().resolveConflict(conflictId, choice);
      return {};
    },
    'purged.list': async ({ limit }, context) => {
      role(context);
      return { items: await state.requireSync().purged(limit) };
    },
  };
}
