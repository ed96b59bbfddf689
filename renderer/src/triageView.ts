/**
 * Reading a TriageView for the screens: which set is being entered, what has been recorded, the
 * trend. Pure; the view main answers with is the truth, these only choose what to show.
 */
import { type News2View, type ObservationEntries, type ObservationSetView, type Result, type SetVersion, type Spo2ScaleChoice, type TriageView } from '../../contract';

/**
 * The set being entered or corrected now, if any: a correction first (the crew asked for it
 * last), else the latest draft.
 */
export function editableSet(view: TriageView): ObservationSetView | null {
  const correcting = view.sets.find((s) => s.isCorrecting);
  if (correcting) return correcting;
  for (let i = view.sets.length - 1; i >= 0; i -= 1) {
    const set = view.sets[i];
    if (set?.status === 'draft') return set;
  }
  return null;
}

/** Sets are numbered in the order they were started, as the crew counts them. */
export function setNumber(view: TriageView, setId: string): number {
  return view.sets.findIndex((s) => s.setId === setId) + 1;
}

export const latestVersion = (set: ObservationSetView): SetVersion | null => set.versions[set.versions.length - 1] ?? null;

export type RecordedSet = Readonly<{ set: ObservationSetView; number: number; version: SetVersion }>;

/** Every set with a recorded version, oldest first, with its latest version. */
export function recordedSets(view: TriageView): RecordedSet[] {
  return view.sets.flatMap((set, index) => {
    const version = latestVersion(set);
    return version ? [{ set, number: index + 1, version }] : [];
  });
}

export type TrendRow = Readonly<{
  setId: string;
  number: number;
  takenAt: string;
  status: SetVersion['status'];
  entries: ObservationEntries;
  spo2Scale: Spo2ScaleChoice;
  news2: News2View;
}>;

/**
 * The trend: recorded sets' latest versions, oldest first by the time taken. A set entered in
 * error is left out (it is listed with its status, never plotted as if it were true).
 */
export function trendRows(view: TriageView, score: (entries: ObservationEntries, scale: Spo2ScaleChoice) => News2View): TrendRow[] {
  return recordedSets(view)
    .filter((r) => r.version.status !== 'entered-in-error')
    .map((r) => ({
      setId: r.set.setId,
      number: r.number,
      takenAt: r.version.takenAt,
      status: r.version.status,
      entries: r.version.entries,
      spo2Scale: r.version.spo2Scale,
      news2: score(r.version.entries, r.version.spo2Scale),
    }))
    .sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt) || a.number - b.number);
}

/** A typed value as a number for the trend; null when not taken or unreadable. */
export function typedValue(typed: string): number | null {
  if (typed.trim() === '') return null;
  const value = Number(typed);
  return Number.isFinite(value) ? value : null;
}

/**
 * Answers can arrive out of order (a slow save behind a quick one); an older view must not
 * replace a newer one on screen.
 */
export function isAtLeastAsNew(next: TriageView, current: TriageView | null): boolean {
  if (!current || current.triageId !== next.triageId) return true;
  const a = Date.parse(next.updatedAt);
  const b = Date.parse(current.updatedAt);
  return !Number.isFinite(a) || !Number.isFinite(b) || a >= b;
}

export const hasRecordedSet = (view: TriageView): boolean => view.sets.some((s) => s.versions.length > 0);

/** Runs a triage call and puts its answer on screen (when it is not older than what is shown). */
export type TriageAct = (run: () => Promise<Result<TriageView>>) => Promise<Result<TriageView>>;
