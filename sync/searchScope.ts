import { CLINICAL_TIER_TYPES, HISTORY_TIER_TYPES, SAFETY_TIER_TYPES } from '../core/fhirCodes';
import type { ScopePlan } from './scopePull';
import { type SyncContext, pendingTypesOnJoin } from './syncContext';

/** How long a patient opened through an online search stays on the device. */
export const SEARCH_HOLD_MS = 12 * 3_600_000;

/** Scope 3: patients opened through an online search, held for a shift then purged. */
export const SEARCH_PLAN: ScopePlan = {
  scope: 'search',
  label: 'Patients opened by search',
  tiers: [
    ['safety', ['Patient', ...SAFETY_TIER_TYPES]],
    ['clinical', [...CLINICAL_TIER_TYPES]],
    ['history', [...HISTORY_TIER_TYPES]],
  ],
  strategy: 'list',
};

/** Adds (or extends) a search hold; the patient's record is fetched whole by the next run. */
export function holdForSearch(ctx: SyncContext, patientId: string, holdMs = SEARCH_HOLD_MS): void {
  const untilAt = new Date(Date.parse(ctx.serverNow()) + holdMs).toISOString();
  const types = SEARCH_PLAN.tiers.flatMap(([, t]) => [...t]);
  ctx.book.join(patientId, 'search', { ref: 'search', untilAt, pending: pendingTypesOnJoin(ctx, 'search', types) });
}
