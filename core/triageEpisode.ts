import { canonicalJson } from './canonicalJson';
import { AppError } from './errors';
import { dispositionProblems, recordingProblems } from './triageRules';
import {
  EMPTY_DISPOSITION, EMPTY_ENTRIES, EMPTY_HANDOVER,
  type Disposition, type HandoverEntries, type ObservationEntries, type ObservationSetDoc, type SetVersion, type Spo2ScaleChoice, type StaffRef, type TriageDoc,
} from './triageViews';

/**
 * How a triage episode may change (issue #12), as pure steps on the stored document. Each step
 * refuses, with a plain reason, anything that would silently change what was recorded: a recorded
 * set changes only through a correction, which adds a version and keeps the earlier ones.
 */
const refuse = (message: string): never => {
  throw new AppError('bad-request', message);
};

export type NewTriage = Readonly<{ triageId: string; patientId: string; incidentId: string | null; isUnidentified: boolean; by: StaffRef; now: string }>;

export function newTriage(input: NewTriage): TriageDoc {
  return {
    triageId: input.triageId,
    patientId: input.patientId,
    incidentId: input.incidentId,
    isUnidentified: input.isUnidentified,
    startedAt: input.now,
    startedBy: input.by,
    state: 'in-progress',
    finishedAt: null,
    sets: [],
    disposition: EMPTY_DISPOSITION,
    handover: EMPTY_HANDOVER,
    encounterVersion: 0,
    handoverVersion: 0,
    unqueued: [],
    updatedAt: input.now,
  };
}

const isBlankDraft = (set: ObservationSetDoc) => set.versions.length === 0 && canonicalJson(set.entries) === canonicalJson(EMPTY_ENTRIES);
const setOf = (doc: TriageDoc, setId: string): ObservationSetDoc => doc.sets.find((s) => s.setId === setId) ?? refuse('That set of observations is not part of this triage.');
const withSet = (doc: TriageDoc, set: ObservationSetDoc, now: string): TriageDoc => ({ ...doc, sets: doc.sets.map((s) => (s.setId === set.setId ? set : s)), updatedAt: now });
const requireInProgress = (doc: TriageDoc) => doc.state === 'in-progress' || refuse('This triage is finished. Recorded sets can still be corrected.');
export const latestVersion = (set: ObservationSetDoc): SetVersion | null => set.versions.at(-1) ?? null;

/** One set at a time: a new set only when no other is being entered (an untouched empty one is reused). */
export function withNewSet(doc: TriageDoc, setId: string, by: StaffRef, now: string): TriageDoc {
  requireInProgress(doc);
  if (doc.sets.some(isBlankDraft)) return doc;
  if (doc.sets.some((s) => s.versions.length === 0 || s.isCorrecting)) refuse('Record or discard the set you are entering before starting another.');
  const set: ObservationSetDoc = { setId, takenAt: now, takenBy: by, entries: EMPTY_ENTRIES, spo2Scale: { scale: 1 }, savedAt: now, versions: [], isCorrecting: false };
  return { ...doc, sets: [...doc.sets, set], updatedAt: now };
}

export type SetDraft = Readonly<{
  takenAt: string;
  entries: ObservationEntries;
  spo2Scale: Spo2ScaleChoice;
  correctionDraft?: Readonly<{ status: 'amended' | 'entered-in-error' | null; reason: string }> | null;
}>;

/** Saves what is on screen for a set being entered or corrected. */
export function withSavedSet(doc: TriageDoc, setId: string, draft: SetDraft, now: string): TriageDoc {
  const set = setOf(doc, setId);
  if (set.versions.length > 0 && !set.isCorrecting) refuse('This set is recorded. Choose “Correct this set” to change it.');
  if (set.versions.length === 0) requireInProgress(doc);
  if (Date.parse(draft.takenAt) > Date.parse(now) + 5 * 60_000) refuse('The time taken cannot be in the future.');
  const correctionDraft = set.isCorrecting ? (draft.correctionDraft ?? set.correctionDraft ?? null) : null;
  return withSet(doc, { ...set, takenAt: draft.takenAt, entries: draft.entries, spo2Scale: draft.spo2Scale, correctionDraft, savedAt: now }, now);
}

export type Correction = Readonly<{ status: 'amended' | 'entered-in-error'; reason: string }>;
export type RecordedSet = Readonly<{ doc: TriageDoc; set: ObservationSetDoc; version: SetVersion; previous: SetVersion | null }>;

/** Records a set's draft: its first version (final), or a correction of the latest. */
export function withRecordedSet(doc: TriageDoc, setId: string, correction: Correction | null, by: StaffRef, now: string): RecordedSet {
  const set = setOf(doc, setId);
  const previous = latestVersion(set);
  if (correction === null && previous) refuse('This set is already recorded. Correct it instead.');
  if (correction !== null && (!previous || !set.isCorrecting)) refuse('Choose “Correct this set” before recording a correction.');
  if (previous === null) requireInProgress(doc);
  const isWithdrawn = correction?.status === 'entered-in-error';
  // Entered in error withdraws the recorded values as they were; nothing newly typed is recorded.
  const recorded = isWithdrawn && previous ? { entries: previous.entries, spo2Scale: previous.spo2Scale, takenAt: previous.takenAt } : set;
  const problems = isWithdrawn ? [] : recordingProblems(recorded.entries, recorded.spo2Scale);
  if (problems.length > 0) refuse(problems.map((p) => p.message).join(' '));
  if (correction?.status === 'amended' && previous && canonicalJson([previous.entries, previous.spo2Scale, previous.takenAt]) === canonicalJson([set.entries, set.spo2Scale, set.takenAt])) {
    refuse('Nothing has changed from the recorded set. Change a value, or mark the set as entered in error.');
  }
  const version: SetVersion = {
    version: (previous?.version ?? 0) + 1,
    status: correction?.status ?? 'final',
    entries: recorded.entries,
    spo2Scale: recorded.spo2Scale,
    takenAt: recorded.takenAt,
    recordedAt: now,
    recordedBy: by,
    reason: correction?.reason ?? null,
  };
  const next: ObservationSetDoc = { ...set, ...recorded, savedAt: now, versions: [...set.versions, version], isCorrecting: false, correctionDraft: null };
  return { doc: withSet(doc, next, now), set: next, version, previous };
}

/** Opens a recorded set for correction, starting from its latest version. */
export function withCorrecting(doc: TriageDoc, setId: string, now: string): TriageDoc {
  const set = setOf(doc, setId);
  const latest = latestVersion(set) ?? refuse('This set is not recorded yet: change it directly.');
  if (latest.status === 'entered-in-error') refuse('This set was marked as entered in error and cannot be corrected again.');
  if (set.isCorrecting) return doc;
  return withSet(doc, { ...set, entries: latest.entries, spo2Scale: latest.spo2Scale, takenAt: latest.takenAt, isCorrecting: true, savedAt: now }, now);
}

/** Drops a draft that never left the device, or abandons a correction (the recorded version stands). */
export function withoutDraft(doc: TriageDoc, setId: string, now: string): TriageDoc {
  const set = setOf(doc, setId);
  const latest = latestVersion(set);
  if (latest === null) return { ...doc, sets: doc.sets.filter((s) => s.setId !== setId), updatedAt: now };
  if (!set.isCorrecting) refuse('A recorded set cannot be discarded. Mark it as entered in error instead.');
  return withSet(doc, { ...set, entries: latest.entries, spo2Scale: latest.spo2Scale, takenAt: latest.takenAt, isCorrecting: false, correctionDraft: null, savedAt: now }, now);
}

export function withDisposition(doc: TriageDoc, disposition: Disposition, now: string): TriageDoc {
  requireInProgress(doc);
  if (disposition.roleAt && Date.parse(disposition.roleAt) > Date.parse(now) + 5 * 60_000) refuse('The time of recognition of life extinct cannot be in the future.');
  return { ...doc, disposition, updatedAt: now };
}

export function withHandover(doc: TriageDoc, handover: HandoverEntries, now: string): TriageDoc {
  requireInProgress(doc);
  return { ...doc, handover, updatedAt: now };
}

/** Finishing needs a complete disposition and no set left half entered. */
export function finishedTriage(doc: TriageDoc, now: string): TriageDoc {
  requireInProgress(doc);
  const problems = dispositionProblems(doc.disposition);
  if (problems.length > 0) refuse(problems.map((p) => p.message).join(' '));
  if (doc.sets.some((s) => (s.versions.length === 0 && !isBlankDraft(s)) || s.isCorrecting)) {
    refuse('A set of observations is still being entered. Record it or discard it before finishing.');
  }
  return { ...doc, sets: doc.sets.filter((s) => !isBlankDraft(s)), state: 'finished', finishedAt: now, updatedAt: now };
}
