/**
 * What may follow what for the resources a crew records in the field (DESIGN §4: append-only).
 * A recorded observation is never silently changed: a later version must say it is a correction
 * (amended, corrected) or withdrawn (entered-in-error). An encounter moves forward to finished;
 * a handover document from preliminary to final, then only by amendment.
 */
export const APPEND_ONLY_TYPES: ReadonlySet<string> = new Set(['Observation', 'Encounter', 'Composition', 'Communication']);

const CORRECTIONS = new Set(['amended', 'corrected', 'entered-in-error']);
const OPEN_ENCOUNTER = new Set(['planned', 'arrived', 'triaged', 'in-progress', 'onleave']);

/** Why this new version of a recorded resource is refused, or null when it is a permitted revision. */
export function revisionRefusal(resourceType: string, before: string | undefined, after: string | undefined): string | null {
  if (!APPEND_ONLY_TYPES.has(resourceType)) return null;
  if (before === 'entered-in-error') return 'It was marked as entered in error and cannot be changed again.';
  switch (resourceType) {
    case 'Observation':
      return after !== undefined && CORRECTIONS.has(after) ? null : 'Recorded observations cannot be changed. Record a correction (amended or entered in error) instead.';
    case 'Encounter':
      if (before === undefined || OPEN_ENCOUNTER.has(before) || after === 'entered-in-error') return null;
      return 'A finished encounter cannot be changed.';
    case 'Communication':
      // A note on a care plan, once written, is only ever withdrawn (issue #14).
      return after === 'entered-in-error' ? null : 'A note already added to a care plan cannot be changed. Add a new note instead.';
    case 'Composition':
      if (before === 'preliminary' || (after !== undefined && CORRECTIONS.has(after))) return null;
      return 'A final handover cannot be changed. Record an amended version instead.';
    default:
      return null;
  }
}

/**
 * A queued version that must reach the central record in its own right before the next one: a
 * recorded clinical statement (so the server's history holds the original and the correction).
 * Earlier queued versions of an open encounter or a preliminary document are simply superseded.
 */
export function mustKeepQueuedVersion(resourceType: string, queuedStatus: string | undefined): boolean {
  if (resourceType === 'Observation') return queuedStatus !== undefined && queuedStatus !== 'preliminary' && queuedStatus !== 'registered';
  if (resourceType === 'Composition') return queuedStatus === 'final' || queuedStatus === 'amended';
  return false;
}
