/**
 * Every problem with a set on screen, in one place: core's (plausible ranges, what stops
 * recording), the form's own (time taken, the Scale 2 reason) and a correction's.
 */
import { type ObservationEntries, type Spo2ScaleChoice } from '../../contract';
import { parseEntries, recordingProblems } from '../../core/triageRules';
import { correctionProblems, scaleProblem, takenAtCheck, type CorrectionDraft, type FormProblem, type SummaryItem } from './triageChecks';
import { problemTargetId } from './triageFields';

export type SetProblemInput = Readonly<{
  entries: ObservationEntries;
  spo2Scale: Spo2ScaleChoice;
  takenAtText: string;
  nowMs: number;
  /** The crew has pressed "Record": everything counts now, not only the fields they have left. */
  isAttempted: boolean;
  touched: ReadonlySet<string>;
  /** The correction being entered, or null for a set not yet recorded. */
  correction: CorrectionDraft | null;
}>;

export type SetProblems = Readonly<{
  /** Shown at their fields. */
  atFields: readonly FormProblem[];
  /** What stops recording, for the error summary. */
  blocking: readonly SummaryItem[];
}>;

export function setProblems(input: SetProblemInput): SetProblems {
  const { entries, spo2Scale } = input;
  const own = [takenAtCheck(input.takenAtText, input.nowMs).problem, scaleProblem(spo2Scale)].flatMap((p) => (p ? [p] : []));
  const toRecord = [...own, ...recordingProblems(entries, spo2Scale)];
  const atFields = input.isAttempted ? toRecord : [...own, ...parseEntries(entries, spo2Scale).problems].filter((p) => input.touched.has(p.field));
  // Entered in error withdraws the recorded values as they were: what is typed does not count.
  const isWithdrawing = input.correction?.status === 'entered-in-error';
  const blocking: SummaryItem[] = [
    ...(isWithdrawing ? [] : toRecord.map((p) => ({ text: p.message, fieldId: problemTargetId(p.field), isLocal: true }))),
    ...(input.correction ? correctionProblems(input.correction).map((p) => ({ ...p, isLocal: true })) : []),
  ];
  return { atFields, blocking };
}
