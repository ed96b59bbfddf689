import type { CarePlanView, ResuscitationStatus } from './views';
import { type Disposition, type EntryProblem, type News2View, NUMERIC_OBSERVATIONS, type NumericObservation } from './triageViews';
import type { ObservationEntries, ObservationSetView, Spo2ScaleChoice, TriageCheck } from './triageViews';
import { type News2Input, scoreNews2 } from './news2';

/**
 * Triage rules (issue #12, DESIGN §9): typed observations to values and plain-language problems,
 * NEWS2 for a set, the ATMIST age and signs lines, and the disposition checks. Pure: no clock
 * (times come in), no I/O.
 */

/** Values parsed from what was typed, and a plain-language problem for each entry that is not plausible. */
export type ParsedEntries = Readonly<{ values: News2Input & { diastolicBp: number | null }; problems: readonly EntryProblem[] }>;

type NumberRule = Readonly<{ name: string; min: number; max: number; unit: string; isWhole: boolean }>;

/** Plausible ranges (inclusive): wide enough for any real patient, narrow enough to catch a slip of the finger. */
export const OBSERVATION_RULES: Readonly<Record<NumericObservation, NumberRule>> = {
  respirationRate: { name: 'respiration rate', min: 0, max: 80, unit: ' breaths a minute', isWhole: true },
  spo2: { name: 'SpO2', min: 50, max: 100, unit: '%', isWhole: true },
  systolicBp: { name: 'systolic blood pressure', min: 40, max: 300, unit: ' mmHg', isWhole: true },
  diastolicBp: { name: 'diastolic blood pressure', min: 20, max: 200, unit: ' mmHg', isWhole: true },
  pulse: { name: 'pulse', min: 0, max: 300, unit: ' beats a minute', isWhole: true },
  // NEWS2 scores temperature to one decimal place (RCP Chart 1), so that is what may be typed.
  temperatureC: { name: 'temperature', min: 25, max: 45, unit: ' °C', isWhole: false },
};

const NUMBER_TEXT = /^-?(?:\d+(?:\.(\d*))?|\.(\d+))$/;
const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** One typed number: its value, or the problem with it ('' is "not taken", never a problem). */
function parseNumber(text: string, rule: NumberRule): { value: number | null; problem: string | null } {
  const typed = text.trim();
  if (typed === '') return { value: null, problem: null };
  const match = NUMBER_TEXT.exec(typed);
  const value = Number(typed);
  if (match === null || !Number.isFinite(value)) return { value: null, problem: `Enter the ${rule.name} as a number` };
  // Decimal places as typed, ignoring trailing zeros: "72.0" is a whole number, "38.40" has one place.
  const places = (match[1] ?? match[2] ?? '').replace(/0+$/, '').length;
  if (rule.isWhole && places > 0) return { value: null, problem: `${capitalise(rule.name)} must be a whole number` };
  if (!rule.isWhole && places > 1) return { value: null, problem: `${capitalise(rule.name)} must have at most one decimal place` };
  if (value < rule.min || value > rule.max) {
    return { value: null, problem: `${capitalise(rule.name)} must be between ${rule.min} and ${rule.max}${rule.unit}` };
  }
  return { value: value === 0 ? 0 : value, problem: null }; // no -0
}

/**
 * Parses a set as typed. A value with a problem is null in `values`, so it is never scored.
 * @example parseEntries({ ...EMPTY_ENTRIES, pulse: '301' }, { scale: 1 }).problems // [{ field: 'pulse', message: 'Pulse must be between 0 and 300 beats a minute' }]
 */
export function parseEntries(entries: ObservationEntries, spo2Scale: Spo2ScaleChoice): ParsedEntries {
  const parsed: Record<NumericObservation, number | null> = { respirationRate: null, spo2: null, systolicBp: null, diastolicBp: null, pulse: null, temperatureC: null };
  const problems: EntryProblem[] = [];
  for (const field of NUMERIC_OBSERVATIONS) {
    const { value, problem } = parseNumber(entries[field], OBSERVATION_RULES[field]);
    parsed[field] = value;
    if (problem !== null) problems.push({ field, message: problem });
  }
  if (parsed.systolicBp !== null && parsed.diastolicBp !== null && parsed.diastolicBp >= parsed.systolicBp) {
    parsed.diastolicBp = null;
    problems.push({ field: 'diastolicBp', message: 'Diastolic blood pressure must be lower than systolic' });
  }
  const values = {
    ...parsed,
    spo2Scale: spo2Scale.scale,
    onOxygen: entries.onOxygen,
    consciousness: entries.consciousness,
  } satisfies ParsedEntries['values'];
  return { values, problems };
}

/** NEWS2 for a set as typed: implausible values count as missing, never as a score. */
export function news2For(entries: ObservationEntries, spo2Scale: Spo2ScaleChoice): News2View {
  const score = scoreNews2(parseEntries(entries, spo2Scale).values);
  if (!score.isComplete) return { isComplete: false, missing: [...score.missing] };
  return { isComplete: true, total: score.total, subScores: { ...score.subScores }, band: score.band, response: score.response };
}

/** What stops a set being recorded. An incomplete set (no temperature, say) may still be recorded. */
export function recordingProblems(entries: ObservationEntries, spo2Scale: Spo2ScaleChoice): readonly EntryProblem[] {
  const problems = [...parseEntries(entries, spo2Scale).problems];
  const isTyped = (field: NumericObservation): boolean => entries[field].trim() !== '';
  if (!NUMERIC_OBSERVATIONS.some(isTyped) && entries.onOxygen === null && entries.consciousness === null) {
    problems.push({ field: 'set', message: 'Enter at least one observation' });
  }
  // A blood pressure is a pair; half of one is usually an entry left unfinished.
  if (isTyped('systolicBp') !== isTyped('diastolicBp')) {
    problems.push({ field: isTyped('systolicBp') ? 'diastolicBp' : 'systolicBp', message: 'Enter both systolic and diastolic blood pressure, or neither' });
  }
  // Scale 2 under-scores low saturations: only with a documented 88–92% target, and why (RCP chart 1).
  if (spo2Scale.scale === 2 && spo2Scale.reason.trim() === '') {
    problems.push({ field: 'spo2Scale', message: 'Give the reason for using SpO2 Scale 2 (the documented 88–92% target)' });
  }
  return problems;
}

// ---- Age ------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;
const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Whole months and years from one calendar date to another (the anniversary day itself counts). */
function elapsed(from: readonly [number, number, number], to: readonly [number, number, number]): { years: number; months: number } {
  const [fy, fm, fd] = from;
  const [ty, tm, td] = to;
  // A 29 February birthday (or a 31st) has not come until the day after the 28th (or 30th) in a
  // shorter month: comparing day numbers gives 1 March, the UK convention for leap-day birthdays.
  const months = (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
  return { years: Math.floor(months / 12), months };
}

/**
 * The patient's age for the handover, from a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD). Calendar
 * dates are compared in UTC (deterministic, no device timezone). For a partial date the earliest
 * possible birth date is assumed (1 January, the 1st of the month) and the age says "about".
 * @example ageText('1957-03-14', new Date('2024-03-13T12:00:00Z')) // '66 years'
 */
export function ageText(birthDate: string | null, at: Date): string {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate ?? '');
  if (match === null || Number.isNaN(at.getTime())) return 'Age not known';
  const year = Number(match[1]);
  const month = match[2] === undefined ? 1 : Number(match[2]);
  const day = match[3] === undefined ? 1 : Number(match[3]);
  const bornMs = Date.UTC(year, month - 1, day);
  const born = new Date(bornMs);
  // Date.UTC rolls 2023-02-30 over into March (and years 0–99 into 1900s): a date that does not
  // round-trip is not a date.
  if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) return 'Age not known';
  const today: readonly [number, number, number] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()];
  const days = Math.round((Date.UTC(today[0], today[1] - 1, today[2]) - bornMs) / DAY_MS);
  if (days < 0) return 'Age not known';
  const { years, months } = elapsed([year, month, day], today);
  const about = match[3] === undefined ? 'about ' : '';
  if (years >= 2) return `${about}${years} years`;
  if (months >= 1) return `${about}${plural(months, 'month')}`;
  // Newborns: days for the first two weeks, when each day matters, then weeks.
  return `${about}${days < 14 ? plural(days, 'day') : plural(Math.floor(days / 7), 'week')}`;
}

// ---- Handover signs -------------------------------------------------------------------------

const CONSCIOUSNESS_WORDS = { A: 'A (alert)', C: 'C (new confusion)', V: 'V (responds to voice)', P: 'P (responds to pain)', U: 'U (unresponsive)' } as const;

/**
 * HH:MM of an ISO time on UK clocks (Europe/London, so BST in summer): the handover is read at a
 * UK emergency department against its own clocks; an unlabelled UTC time would be an hour out half
 * the year. A fixed zone, not the device's, so the same input gives the same line on any device.
 */
const UK_CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
function clockTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 'unknown time' : UK_CLOCK.format(new Date(ms));
}

type RecordedSet = Readonly<{ takenAt: string; entries: ObservationEntries; spo2Scale: Spo2ScaleChoice; order: number }>;

/**
 * What a recorded set says now: its latest recorded version (a correction being typed over it is
 * only a draft, so the set's own entries are not used while one is in progress).
 */
function recordedSets(sets: readonly ObservationSetView[]): RecordedSet[] {
  const recorded: RecordedSet[] = [];
  sets.forEach((set, order) => {
    if (set.status !== 'final' && set.status !== 'amended') return;
    const latest = set.versions.reduce<(typeof set.versions)[number] | null>((best, v) => (best === null || v.version > best.version ? v : best), null);
    if (latest?.status === 'entered-in-error') return;
    recorded.push(latest === null ? { ...set, order } : { takenAt: latest.takenAt, entries: latest.entries, spo2Scale: latest.spo2Scale, order });
  });
  const timeOf = (s: RecordedSet): number => Date.parse(s.takenAt);
  return recorded.sort((a, b) => timeOf(a) - timeOf(b) || a.takenAt.localeCompare(b.takenAt) || a.order - b.order);
}

const isNumber = (value: number | null | undefined): value is number => typeof value === 'number';

/** "respiration 22 a minute, SpO2 94% on oxygen (Scale 1), …": only the values present. */
function signsOf(set: RecordedSet): string[] {
  const v = parseEntries(set.entries, set.spo2Scale).values;
  const parts: string[] = [];
  if (isNumber(v.respirationRate)) parts.push(`respiration ${v.respirationRate} a minute`);
  const air = v.onOxygen === true ? 'on oxygen' : v.onOxygen === false ? 'on air' : null;
  if (isNumber(v.spo2)) parts.push(`SpO2 ${v.spo2}%${air === null ? '' : ` ${air}`} (Scale ${v.spo2Scale})`);
  else if (air !== null) parts.push(air);
  if (isNumber(v.systolicBp) && isNumber(v.diastolicBp)) parts.push(`BP ${v.systolicBp}/${v.diastolicBp} mmHg`);
  else if (isNumber(v.systolicBp)) parts.push(`systolic BP ${v.systolicBp} mmHg`);
  else if (isNumber(v.diastolicBp)) parts.push(`diastolic BP ${v.diastolicBp} mmHg`);
  if (isNumber(v.pulse)) parts.push(`pulse ${v.pulse} a minute`);
  if (v.consciousness) parts.push(`consciousness ${CONSCIOUSNESS_WORDS[v.consciousness]}`);
  // One decimal place, as the chart writes temperatures: "37" reads back as 37.0 °C.
  if (isNumber(v.temperatureC)) parts.push(`temperature ${v.temperatureC.toFixed(1)} °C`);
  return parts;
}

/**
 * The ATMIST "Signs" lines: the latest recorded set, then the NEWS2 trend over every recorded set.
 * @example handoverSigns([]) // ['No observations recorded']
 */
export function handoverSigns(sets: readonly ObservationSetView[]): string[] {
  const recorded = recordedSets(sets);
  const latest = recorded[recorded.length - 1];
  if (latest === undefined) return ['No observations recorded'];
  const signs = signsOf(latest);
  const trend = recorded.map((set) => {
    const news2 = news2For(set.entries, set.spo2Scale);
    return `${news2.isComplete ? news2.total : 'incomplete'} (${clockTime(set.takenAt)})`;
  });
  return [
    `Latest at ${clockTime(latest.takenAt)}: ${signs.length > 0 ? signs.join(', ') : 'no values recorded'}`,
    `NEWS2 trend: ${trend.join(' → ')}`,
  ];
}

// ---- Disposition ----------------------------------------------------------------------------

/** What must be filled in before the disposition can be saved as final. */
export function dispositionProblems(disposition: Disposition): readonly EntryProblem[] {
  switch (disposition.outcome) {
    case null:
      return [{ field: 'outcome', message: 'Choose what happened to the patient' }];
    case 'conveyed':
      return disposition.destination.trim() === '' ? [{ field: 'destination', message: 'Enter the hospital and department the patient is taken to' }] : [];
    case 'referred':
      return disposition.referredTo === null ? [{ field: 'referredTo', message: 'Choose who the patient is referred to' }] : [];
    case 'deceased':
      return (disposition.roleAt ?? '').trim() === '' ? [{ field: 'roleAt', message: 'Enter the time life was recognised as extinct' }] : [];
    default:
      return [];
  }
}

/** Quoted record text, cut short so a check stays readable (and within its 500 characters). */
function quote(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

const CONSIDER_RESUSCITATION = 'resuscitation must be considered unless recognition of life extinct criteria are met';
const UNCONFIRMED_BECAUSE: Readonly<Record<'not-yet-confirmed' | 'unreadable' | 'conflicting', string>> = {
  'not-yet-confirmed': 'the shared care record has not been checked for this patient yet',
  unreadable: 'a decision in the shared care record could not be read',
  conflicting: 'the shared care record holds conflicting decisions, both for and not for CPR',
};

/** The resuscitation decision against a patient recorded as deceased. */
function resuscitationCheck(status: ResuscitationStatus, headline: string): TriageCheck {
  switch (status) {
    case 'dnacpr':
    case 'respect-not-for-cpr':
      return { severity: 'info', text: `Resuscitation decision in the shared care record: ${quote(headline)}` };
    case 'respect-for-cpr':
      // Not asked for by the brief, but a record recommending CPR for a patient recorded as dead must be seen.
      return { severity: 'warning', text: `The shared care record recommends CPR: ${quote(headline)}. Resuscitation must be attempted unless recognition of life extinct criteria are met.` };
    case 'none-recorded':
      return { severity: 'warning', text: `No DNACPR or ReSPECT decision is in the shared care record, so ${CONSIDER_RESUSCITATION}.` };
    case 'not-yet-confirmed':
    case 'unreadable':
    case 'conflicting':
      return {
        severity: 'warning',
        text: `The resuscitation decision could not be confirmed: ${UNCONFIRMED_BECAUSE[status]}. Check for a paper DNACPR or ReSPECT form; ${CONSIDER_RESUSCITATION}.`,
      };
  }
}

/** A care plan against the outcome. Only the plan's own title and first activity are quoted. */
function carePlanCheck(plan: CarePlanView, outcome: Disposition['outcome']): TriageCheck | null {
  const title = quote(plan.title.trim() === '' ? plan.description : plan.title) || '(no title)';
  switch (plan.kind) {
    case 'end-of-life':
      return outcome === 'conveyed'
        ? { severity: 'info', text: `End-of-life care plan: ${title} — check the preferred place of care and wishes before conveying` }
        : { severity: 'info', text: `End-of-life care plan: ${title} — read it for the patient's wishes` };
    case 'mental-health-crisis': {
      if (outcome !== 'conveyed' && outcome !== 'referred' && outcome !== 'home-with-advice') return null;
      const first = plan.activities.find((a) => a.trim() !== '');
      return { severity: 'info', text: `Mental health crisis plan: ${title}${first === undefined ? '' : ` — first action in the plan: ${quote(first)}`}` };
    }
    case 'sickle-cell':
      return outcome === 'conveyed' ? { severity: 'info', text: `Sickle cell care plan: ${title} — share it with the receiving team` } : null;
    default:
      return null;
  }
}

/** Checks the crew must see before finishing: the resuscitation decision (deceased) and care plans. */
export function dispositionChecks(
  disposition: Disposition,
  context: Readonly<{ resuscitation: ResuscitationStatus; resuscitationHeadline: string; carePlans: readonly CarePlanView[] }>,
): readonly TriageCheck[] {
  const checks: (TriageCheck | null)[] = [
    disposition.outcome === 'deceased' ? resuscitationCheck(context.resuscitation, context.resuscitationHeadline) : null,
    ...context.carePlans.map((plan) => carePlanCheck(plan, disposition.outcome)),
  ];
  return checks.filter((check): check is TriageCheck => check !== null);
}

// ---- SpO2 Scale 2 evidence ------------------------------------------------------------------

const RANGE = String.raw`(?<![\d.])88\s*%?\s*(?:-|–|—|to)\s*92`;
/** "88-92%", "88–92 %", "88% to 92%": the range with its percent sign. */
const RANGE_WITH_PERCENT = new RegExp(`${RANGE}\\s*%`, 'i');
/** "target saturations 88-92", "SpO2 88 to 92": a bare range after words that say what it is. */
const RANGE_AFTER_WORDS = new RegExp(String.raw`\b(?:target|sats?|saturations?|spo2|o2)\b[^.\n]{0,40}?${RANGE}(?![\d.]*\d)`, 'i');

/** At most 200 characters of a sentence, keeping the matched range in view when it is cut. */
function excerpt(sentence: string, at: number, max = 200): string {
  if (sentence.length <= max) return sentence;
  const start = Math.max(0, Math.min(at - 60, sentence.length - (max - 1)));
  const head = start > 0 ? '…' : '';
  const room = max - head.length - 1; // one for the closing ellipsis, if any
  const end = start + room;
  return end >= sentence.length ? head + sentence.slice(start) : `${head}${sentence.slice(start, end)}…`;
}

/**
 * Where the record documents an 88–92% target (SpO2 Scale 2), as "<where>: <sentence>", or null.
 * @example scale2Evidence([{ where: 'Alert', text: 'COPD. Target sats 88-92%.' }]) // 'Alert: Target sats 88-92%.'
 */
export function scale2Evidence(texts: readonly { where: string; text: string }[]): string | null {
  for (const { where, text } of texts) {
    for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
      const match = RANGE_WITH_PERCENT.exec(sentence) ?? RANGE_AFTER_WORDS.exec(sentence);
      if (match === null) continue;
      const flat = sentence.replace(/\s+/g, ' ').trim();
      return `${where}: ${excerpt(flat, flat.indexOf(match[0].replace(/\s+/g, ' ')))}`;
    }
  }
  return null;
}
