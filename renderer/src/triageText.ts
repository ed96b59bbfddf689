/**
 * Plain words for the triage screens (issue #12): bands, statuses, what is missing, what is
 * waiting to upload. Pure, so every wording is tested and the screens only arrange it.
 */
import { type DISPOSITION_OUTCOMES, type News2View, type ObservationSetView, type REFERRAL_TARGETS } from '../../contract';

export type News2Band = Extract<News2View, { isComplete: true }>['band'];
type SetStatus = ObservationSetView['status'];
type UploadState = ObservationSetView['upload'];

/** The band as words: colour is never the only signal (WCAG 1.4.1). */
export const BAND_LABELS: Readonly<Record<News2Band, string>> = {
  low: 'Low',
  'low-medium': 'Low–medium',
  medium: 'Medium',
  high: 'High',
};

/** NEWS2 parameter names (core/news2.ts) and entry fields, as a clinician says them. */
const PARAMETER_WORDS: Readonly<Record<string, string>> = {
  respirationRate: 'respiration rate',
  spo2: 'SpO2',
  onOxygen: 'air or oxygen',
  systolicBp: 'systolic blood pressure',
  diastolicBp: 'diastolic blood pressure',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
  temperatureC: 'temperature',
};

export const parameterWords = (parameter: string): string => PARAMETER_WORDS[parameter] ?? parameter;

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

/**
 * What an incomplete set lacks, never a number.
 * @example notScoredText(['temperature', 'consciousness']) // 'NEWS2 not scored: temperature and consciousness missing'
 */
export function notScoredText(missing: readonly string[]): string {
  if (missing.length === 0) return 'NEWS2 not scored';
  return `NEWS2 not scored: ${joinWords(missing.map(parameterWords))} missing`;
}

/** One line for a score: "NEWS2 7 — High" or what is missing. */
export function news2Headline(news2: News2View): string {
  return news2.isComplete ? `NEWS2 ${news2.total} — ${BAND_LABELS[news2.band]}` : notScoredText(news2.missing);
}

export const SET_STATUS_LABELS: Readonly<Record<SetStatus, string>> = {
  draft: 'Draft',
  final: 'Recorded',
  amended: 'Amended',
  'entered-in-error': 'Entered in error',
};

export const UPLOAD_LABELS: Readonly<Record<UploadState, string>> = {
  'not-recorded': 'Not recorded yet',
  waiting: 'Waiting to upload',
  uploaded: 'Uploaded',
};

/**
 * What is still on this device only, said plainly.
 * @example waitingText(8, true) // '8 items waiting to upload to the shared care record'
 */
export function waitingText(waiting: number, hasRecorded: boolean): string {
  if (waiting > 0) return `${waiting} ${waiting === 1 ? 'item' : 'items'} waiting to upload to the shared care record`;
  return hasRecorded ? 'All recorded items uploaded' : 'Nothing recorded yet';
}

/** A clock time with seconds, device local: "10:42:13". `timeZone` is for tests. */
export function clockTime(iso: string, timeZone?: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return 'an unknown time';
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) }).format(ms);
}

/** A clock time without seconds, for set times: "10:42". */
export function shortTime(iso: string, timeZone?: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return 'unknown time';
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) }).format(ms);
}

export const OUTCOME_LABELS: Readonly<Record<(typeof DISPOSITION_OUTCOMES)[number], string>> = {
  conveyed: 'Conveyed to hospital',
  referred: 'Referred to another service',
  'home-with-advice': 'Left at home with advice',
  'see-and-treat': 'See and treat',
  declined: 'Declined care or conveyance',
  deceased: 'Deceased — recognition of life extinct',
};

export const REFERRAL_LABELS: Readonly<Record<(typeof REFERRAL_TARGETS)[number], string>> = {
  gp: 'GP',
  'nhs-111': 'NHS 111',
  'community-team': 'Community team',
  'mental-health-crisis-team': 'Mental health crisis team',
};

export const ACVPU_LABELS = {
  A: 'A — Alert',
  C: 'C — New confusion',
  V: 'V — Voice',
  P: 'P — Pain',
  U: 'U — Unresponsive',
} as const;
