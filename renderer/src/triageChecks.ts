/**
 * What the form checks itself before a set is recorded, beyond core's recordingProblems: the
 * time taken (main refuses more than 5 minutes ahead, core/triageEpisode.ts) and the reason for
 * Scale 2, which the brief asks for and core does not yet require.
 */
import { type Spo2ScaleChoice } from '../../contract';
import { fromDatetimeLocal } from './triageDates';

const FUTURE_SLACK_MS = 5 * 60_000;

export type FormProblem = Readonly<{ field: string; message: string }>;

/** The datetime-local text as a usable ISO time, or the problem with it. */
export function takenAtCheck(text: string, nowMs: number): Readonly<{ iso: string | null; problem: FormProblem | null }> {
  const iso = fromDatetimeLocal(text);
  if (iso === null) return { iso: null, problem: { field: 'takenAt', message: 'Enter the date and time these observations were taken' } };
  if (Date.parse(iso) > nowMs + FUTURE_SLACK_MS) return { iso: null, problem: { field: 'takenAt', message: 'The time taken cannot be in the future' } };
  return { iso, problem: null };
}

/** Scale 2 documented by the clinician needs their reason. */
export function scaleProblem(scale: Spo2ScaleChoice): FormProblem | null {
  if (scale.scale === 2 && scale.documentedBy === 'clinician' && scale.reason.trim() === '') {
    return { field: 'spo2Scale', message: 'Give the reason this patient has an SpO2 target of 88–92%, or untick Scale 2' };
  }
  return null;
}

/** An error-summary line; `isLocal` when it comes from a check the screen can re-run as the crew types. */
export type SummaryItem = Readonly<{ text: string; fieldId?: string; isLocal: boolean }>;

/**
 * The summary as it stands: a local problem the crew has fixed since they pressed the button
 * drops out (a summary that still lists it would be false); main's refusals stay until the next try.
 */
export function openItems(items: readonly SummaryItem[], currentMessages: readonly string[]): SummaryItem[] {
  const current = new Set(currentMessages);
  return items.filter((item) => !item.isLocal || current.has(item.text));
}

export type CorrectionStatus = 'amended' | 'entered-in-error';
export type CorrectionDraft = Readonly<{ status: CorrectionStatus | null; reason: string }>;

/** What a correction still lacks, in the NHS error message style, each linked to its field. */
export function correctionProblems(draft: CorrectionDraft): Readonly<{ text: string; fieldId: string }>[] {
  const found: { text: string; fieldId: string }[] = [];
  if (!draft.status) found.push({ text: 'Choose whether you are amending this set or marking it entered in error', fieldId: 'corr-status-amended' });
  if (draft.reason.trim() === '') found.push({ text: 'Give the reason for the correction', fieldId: 'corr-reason' });
  return found;
}
