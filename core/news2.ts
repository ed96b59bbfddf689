/**
 * NEWS2, the National Early Warning Score 2, exactly as the Royal College of Physicians' chart
 * defines it: RCP, "National Early Warning Score (NEWS) 2: Standardising the assessment of
 * acute-illness severity in the NHS", updated report of a working party, London 2017 — Chart 1
 * (the NEWS2 scoring system) for the thresholds, Chart 2/Table 2 (thresholds and triggers) for the
 * bands and Chart 3 (clinical response) for the response. Pure: no clock, no I/O.
 */
export type Consciousness = 'A' | 'C' | 'V' | 'P' | 'U';

/** One set of observations as entered; a parameter not (yet) taken is null or undefined. */
export type News2Input = Readonly<{
  /** Breaths per minute. */
  respirationRate?: number | null;
  /** Oxygen saturation, %. */
  spo2?: number | null;
  /**
   * 2 only for a patient with a documented target range of 88–92% (e.g. hypercapnic respiratory
   * failure), as the chart says; 1 for everyone else.
   */
  spo2Scale: 1 | 2;
  /** Supplemental oxygen (any device), as opposed to air. */
  onOxygen?: boolean | null;
  /** Systolic blood pressure, mmHg. */
  systolicBp?: number | null;
  /** Pulse, beats per minute. */
  pulse?: number | null;
  /** ACVPU; new confusion is C (chart: "New confusion" scores 3, as V, P and U do). */
  consciousness?: Consciousness | null;
  /** Temperature, °C (scored to one decimal place). */
  temperatureC?: number | null;
}>;

export type News2Parameter = 'respirationRate' | 'spo2' | 'onOxygen' | 'systolicBp' | 'pulse' | 'consciousness' | 'temperature';
export const NEWS2_PARAMETERS: readonly News2Parameter[] = ['respirationRate', 'spo2', 'onOxygen', 'systolicBp', 'pulse', 'consciousness', 'temperature'];

export type News2Band = 'low' | 'low-medium' | 'medium' | 'high';

export type News2Score =
  | Readonly<{
      isComplete: true;
      total: number;
      subScores: Readonly<Record<News2Parameter, number>>;
      band: News2Band;
      response: string;
    }>
  /** Never a number shown as if it were a score: what is missing instead. */
  | Readonly<{ isComplete: false; missing: readonly News2Parameter[] }>;

/** Score for a value by ordered upper bounds: the first bound the value does not exceed gives its score. */
function byBounds(value: number, bounds: readonly (readonly [upTo: number, score: number])[], above: number): number {
  for (const [upTo, score] of bounds) if (value <= upTo) return score;
  return above;
}

// Chart 1, row by row.
/** Respiration rate: ≤8 → 3; 9–11 → 1; 12–20 → 0; 21–24 → 2; ≥25 → 3. */
export const scoreRespirationRate = (rate: number): number => byBounds(rate, [[8, 3], [11, 1], [20, 0], [24, 2]], 3);

/** SpO2 Scale 1: ≤91 → 3; 92–93 → 2; 94–95 → 1; ≥96 → 0. */
export const scoreSpo2Scale1 = (spo2: number): number => byBounds(spo2, [[91, 3], [93, 2], [95, 1]], 0);

/**
 * SpO2 Scale 2: ≤83 → 3; 84–85 → 2; 86–87 → 1; 88–92, or ≥93 on air → 0; on oxygen 93–94 → 1,
 * 95–96 → 2, ≥97 → 3 (over-oxygenation is the danger on this scale).
 */
export function scoreSpo2Scale2(spo2: number, onOxygen: boolean): number {
  if (spo2 <= 92 || !onOxygen) return byBounds(spo2, [[83, 3], [85, 2], [87, 1]], 0);
  return byBounds(spo2, [[94, 1], [96, 2]], 3);
}

/** Air or oxygen: oxygen → 2; air → 0. */
export const scoreOxygen = (onOxygen: boolean): number => (onOxygen ? 2 : 0);

/** Systolic blood pressure: ≤90 → 3; 91–100 → 2; 101–110 → 1; 111–219 → 0; ≥220 → 3. */
export const scoreSystolicBp = (systolic: number): number => byBounds(systolic, [[90, 3], [100, 2], [110, 1], [219, 0]], 3);

/** Pulse: ≤40 → 3; 41–50 → 1; 51–90 → 0; 91–110 → 1; 111–130 → 2; ≥131 → 3. */
export const scorePulse = (pulse: number): number => byBounds(pulse, [[40, 3], [50, 1], [90, 0], [110, 1], [130, 2]], 3);

/** Consciousness: Alert → 0; new Confusion, Voice, Pain, Unresponsive → 3. */
export const scoreConsciousness = (level: Consciousness): number => (level === 'A' ? 0 : 3);

/** The chart's temperatures have one decimal place; a reading is scored as it would be written there. */
export const roundTemperature = (celsius: number): number => Math.round(celsius * 10) / 10;

/** Temperature: ≤35.0 → 3; 35.1–36.0 → 1; 36.1–38.0 → 0; 38.1–39.0 → 1; ≥39.1 → 2. */
export const scoreTemperature = (celsius: number): number => byBounds(roundTemperature(celsius), [[35.0, 3], [36.0, 1], [38.0, 0], [39.0, 1]], 2);

/** Chart 3's clinical response for each band (RCP wording, shortened to its instructions). */
export const NEWS2_RESPONSES: Readonly<Record<News2Band | 'zero', string>> = {
  zero: 'Score 0: continue routine NEWS monitoring (minimum 12-hourly).',
  low: 'Low (1–4): minimum 4–6-hourly monitoring; a registered nurse must assess the patient and decide whether increased frequency of monitoring or escalation of care is required.',
  'low-medium':
    'Low–medium (3 in one parameter): urgent ward-based response; minimum 1-hourly monitoring; inform the medical team caring for the patient, who will review and decide whether escalation of care is necessary.',
  medium:
    'Medium (5–6): key threshold for urgent response; minimum 1-hourly monitoring; immediately inform the medical team; urgent assessment by a clinician or team with competencies in the care of acutely ill patients; care in an environment with monitoring facilities.',
  high: 'High (7 or more): emergency response; continuous monitoring of vital signs; immediately inform the medical team (at least specialist registrar level); emergency assessment by a team with critical-care competencies, including advanced airway management; consider transfer to level 2 or 3 care (HDU or ICU).',
};

/** Chart 2: 0–4 low (a 3 in any single parameter lifts it to low–medium), 5–6 medium, 7+ high. */
export function news2Band(total: number, hasSingleThree: boolean): News2Band {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return hasSingleThree ? 'low-medium' : 'low';
}

const isNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** Which parameters the set still lacks, in chart order. */
function missingOf(input: News2Input): News2Parameter[] {
  const present: Record<News2Parameter, boolean> = {
    respirationRate: isNumber(input.respirationRate),
    spo2: isNumber(input.spo2),
    onOxygen: typeof input.onOxygen === 'boolean',
    systolicBp: isNumber(input.systolicBp),
    pulse: isNumber(input.pulse),
    consciousness: input.consciousness !== null && input.consciousness !== undefined,
    temperature: isNumber(input.temperatureC),
  };
  return NEWS2_PARAMETERS.filter((p) => !present[p]);
}

/**
 * Scores one complete set of observations, or says what is missing.
 * @example scoreNews2({ respirationRate: 22, spo2: 95, spo2Scale: 1, onOxygen: false, systolicBp: 105, pulse: 112, consciousness: 'A', temperatureC: 38.4 }).total // 7
 */
export function scoreNews2(input: News2Input): News2Score {
  const missing = missingOf(input);
  if (missing.length > 0) return { isComplete: false, missing };
  // Present: missingOf checked every one of these.
  const onOxygen = input.onOxygen as boolean;
  const spo2 = input.spo2 as number;
  const subScores: Record<News2Parameter, number> = {
    respirationRate: scoreRespirationRate(input.respirationRate as number),
    spo2: input.spo2Scale === 2 ? scoreSpo2Scale2(spo2, onOxygen) : scoreSpo2Scale1(spo2),
    onOxygen: scoreOxygen(onOxygen),
    systolicBp: scoreSystolicBp(input.systolicBp as number),
    pulse: scorePulse(input.pulse as number),
    consciousness: scoreConsciousness(input.consciousness as Consciousness),
    temperature: scoreTemperature(input.temperatureC as number),
  };
  const scores = Object.values(subScores);
  const total = scores.reduce((sum, s) => sum + s, 0);
  const band = news2Band(total, scores.includes(3));
  return { isComplete: true, total, subScores, band, response: total === 0 ? NEWS2_RESPONSES.zero : NEWS2_RESPONSES[band] };
}
