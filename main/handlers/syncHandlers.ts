import { decidePatientWorkAccess, denyMessage, mayListPatientItem, mayResolveConflicts } from '../../core/access';
import { AppError } from '../../core/errors';
import type { Handlers } from '../dispatch';
import { requireSession } from './requireSession';
import type { Services } from './services';

type SyncMethod = 'sync.status' | 'sync.run' | 'conflicts.list' | 'conflicts.resolve' | 'purged.list';
export type SyncHandlers = Readonly<{ [M in SyncMethod]: Handlers[M] }>;

/**
 * Sync status and runs, the conflict review queue and the purge list. Lists hold ids, times and
 * field names only, and only for patients the caller may see (core/access.ts mayListPatientItem);
 * a resolution changes a patient's record, so it is audited before it is applied.
 */
export function createSyncHandlers(s: Services): SyncHandlers {
  return {
    'sync.status': async () => s.store.requireSync().status(),
    // Audit is delivered inside the run, after the incident scope (or after a run that stopped early).
    'sync.run': async () => s.store.syncNow(),
    'conflicts.list': async (_params, context) => {
      const who = await s.access.subject(requireSession(context));
      const conflicts = await s.store.requireSync().conflicts();
      return { conflicts: conflicts.filter((c) => mayListPatientItem(who, c, s.now())) };
    },
    'conflicts.resolve': async ({ conflictId, choice }, context) => {
      const session = requireSession(context);
      if (!mayResolveConflicts(session.user.role)) throw new AppError('forbidden', 'Only clinicians and paramedics can decide between two versions of a record.');
      const sync = s.store.requireSync();
      const conflict = (await sync.conflicts()).find((c) => c.conflictId === conflictId);
      // Someone who may not see the patient learns nothing from the answer: the same as a missing one.
      if (!conflict || !mayListPatientItem(await s.access.subject(session), conflict, s.now())) throw new AppError('not-found', 'That conflict is no longer waiting for review.');
      // Issue #14: deciding changes the patient's record, so it needs what opening the record needs now.
      const decision = decidePatientWorkAccess(await s.access.subject(session), conflict.patientId, s.now());
      if (!decision.allowed) throw new AppError('forbidden', denyMessage(decision.reason));
      // Ids and the choice only: no clinical values in the entry's purpose.
      const entry = (outcome: 'success' | 'failure') => ({
        user: session.user,
        practitionerId: session.practitionerId,
        action: 'conflict.resolve' as const,
        patientId: conflict.patientId,
        purpose: `${decision.purpose}: ${choice} ${conflict.resourceType}/${conflict.resourceId}`,
        outcome,
      });
      await s.audit.durableBeforeAnswer(entry('success')); // no entry, no change
      try {
        await sync.resolveConflict(conflictId, choice);
      } catch (error) {
        await s.audit.recordedOrDeferred(entry('failure')); // the first entry named an intent that did not happen
        throw error;
      }
      return {};
    },
    'purged.list': async ({ limit }, context) => {
      const who = await s.access.subject(requireSession(context));
      const items = await s.store.requireSync().purged(limit);
      return { items: items.filter((item) => mayListPatientItem(who, item, s.now())) };
    },
  };
}
