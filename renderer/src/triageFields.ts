/**
 * The numeric observations as the form shows them: label, unit, stepper step and where a stepper
 * starts. Plausible ranges and their messages are core's (core/triageRules.ts); the limits here
 * only stop a stepper running off the chart.
 */
import { type NumericObservation } from '../../contract';
import { OBSERVATION_RULES } from '../../core/triageRules';

export type NumericField = Readonly<{
  key: NumericObservation;
  label: string;
  /** Shown beside the input and read with it (aria-describedby). */
  unit: string;
  step: number;
  decimals: 0 | 1;
  /**
   * Where − / + starts from an empty field, so a gloved crew member can reach a reading with a few
   * presses. The value is shown, large, before anything is recorded, and it is saved as a draft
   * like any typed value; it never becomes a score without the crew recording the set.
   */
  start: number;
  /** Core's plausible range: a stepper never leaves it. */
  min: number;
  max: number;
  /** Counts toward NEWS2 (diastolic does not). */
  isScored: boolean;
}>;

const range = (key: NumericObservation) => ({ min: OBSERVATION_RULES[key].min, max: OBSERVATION_RULES[key].max });

export const NUMERIC_FIELDS: readonly NumericField[] = [
  { key: 'respirationRate', label: 'Respiration rate', unit: 'breaths a minute', step: 1, decimals: 0, start: 16, ...range('respirationRate'), isScored: true },
  { key: 'spo2', label: 'SpO2', unit: '%', step: 1, decimals: 0, start: 96, ...range('spo2'), isScored: true },
  { key: 'systolicBp', label: 'Systolic blood pressure', unit: 'mmHg', step: 1, decimals: 0, start: 120, ...range('systolicBp'), isScored: true },
  { key: 'diastolicBp', label: 'Diastolic blood pressure', unit: 'mmHg', step: 1, decimals: 0, start: 80, ...range('diastolicBp'), isScored: false },
  { key: 'pulse', label: 'Pulse', unit: 'beats a minute', step: 1, decimals: 0, start: 80, ...range('pulse'), isScored: true },
  { key: 'temperatureC', label: 'Temperature', unit: '°C', step: 0.1, decimals: 1, start: 37, ...range('temperatureC'), isScored: true },
];

/** Matches contract's typedNumberSchema: digits, one decimal point, optional leading minus, ≤ 8 characters. */
const TYPED_NUMBER = /^-?\d*(\.\d*)?$/;

/**
 * What a keystroke may leave in a numeric field: a comma decimal becomes a point, spaces go;
 * anything else that is not a number as typed is refused (null), so the screen never shows
 * something the store could not keep.
 * @example sanitiseTyped('37,5') // '37.5'
 */
export function sanitiseTyped(raw: string): string | null {
  const text = raw.replace(/,/g, '.').replace(/\s+/g, '');
  return text.length <= 8 && TYPED_NUMBER.test(text) ? text : null;
}

/**
 * One press of − or + : from the typed value (or the field's start when empty or unreadable),
 * rounded to the field's decimals and kept within its limits.
 * @example stepTyped('37.4', NUMERIC_FIELDS[5], 1) // '37.5'
 */
export function stepTyped(typed: string, field: NumericField, direction: 1 | -1): string {
  const current = typed.trim() === '' ? Number.NaN : Number(typed);
  const next = Number.isFinite(current) ? current + direction * field.step : field.start;
  const clamped = Math.min(field.max, Math.max(field.min, next));
  return clamped.toFixed(field.decimals);
}

export function numericField(key: NumericObservation): NumericField {
  const field = NUMERIC_FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`No numeric field ${key}`);
  return field;
}

/** The input id for an entry field, so problems and the error summary can link to it. */
export const fieldId = (field: string): string => `obs-${field}`;

/** Problems name entry fields; radios link to their first option. */
export function problemTargetId(field: string): string {
  if (field === 'onOxygen') return 'obs-onOxygen-air';
  if (field === 'consciousness') return 'obs-consciousness-A';
  if (field === 'spo2Scale') return 'obs-scale2';
  if (field === 'takenAt') return 'obs-takenAt';
  // "Enter at least one observation" points at the first one.
  if (field === 'set') return fieldId('respirationRate');
  return fieldId(field);
}
