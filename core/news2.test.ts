import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type News2Input,
  NEWS2_PARAMETERS,
  news2Band,
  scoreConsciousness,
  scoreNews2,
  scoreOxygen,
  scorePulse,
  scoreRespirationRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolicBp,
  scoreTemperature,
} from './news2';

// Every threshold of RCP NEWS2 Chart 1 (2017), on both sides, written out from the chart itself
// (not from any example bundle). Each row: [value, expected sub-score].
const cases = (rows: readonly (readonly [number, number])[]) => rows.map(([v, s]) => ({ v, s }));

describe('Chart 1, parameter by parameter, at every boundary', () => {
  it.each(cases([[0, 3], [8, 3], [9, 1], [11, 1], [12, 0], [20, 0], [21, 2], [24, 2], [25, 3], [60, 3]]))('respiration rate $v → $s', ({ v, s }) => {
    expect(scoreRespirationRate(v)).toBe(s);
  });
  it.each(cases([[70, 3], [91, 3], [92, 2], [93, 2], [94, 1], [95, 1], [96, 0], [100, 0]]))('SpO2 scale 1 $v → $s (air or oxygen alike)', ({ v, s }) => {
    expect(scoreSpo2Scale1(v)).toBe(s);
  });
  it.each(cases([[70, 3], [83, 3], [84, 2], [85, 2], [86, 1], [87, 1], [88, 0], [92, 0], [93, 0], [97, 0], [100, 0]]))('SpO2 scale 2 on air $v → $s', ({ v, s }) => {
    expect(scoreSpo2Scale2(v, false)).toBe(s);
  });
  it.each(cases([[83, 3], [84, 2], [86, 1], [87, 1], [88, 0], [92, 0], [93, 1], [94, 1], [95, 2], [96, 2], [97, 3], [100, 3]]))('SpO2 scale 2 on oxygen $v → $s', ({ v, s }) => {
    expect(scoreSpo2Scale2(v, true)).toBe(s);
  });
  it('air → 0, oxygen → 2', () => {
    expect([scoreOxygen(false), scoreOxygen(true)]).toEqual([0, 2]);
  });
  it.each(cases([[60, 3], [90, 3], [91, 2], [100, 2], [101, 1], [110, 1], [111, 0], [219, 0], [220, 3], [260, 3]]))('systolic BP $v → $s', ({ v, s }) => {
    expect(scoreSystolicBp(v)).toBe(s);
  });
  it.each(cases([[30, 3], [40, 3], [41, 1], [50, 1], [51, 0], [90, 0], [91, 1], [110, 1], [111, 2], [130, 2], [131, 3], [180, 3]]))('pulse $v → $s', ({ v, s }) => {
    expect(scorePulse(v)).toBe(s);
  });
  it('consciousness: alert 0; new confusion, voice, pain, unresponsive 3', () => {
    expect((['A', 'C', 'V', 'P', 'U'] as const).map(scoreConsciousness)).toEqual([0, 3, 3, 3, 3]);
  });
  it.each(cases([[33.2, 3], [35.0, 3], [35.1, 1], [36.0, 1], [36.1, 0], [38.0, 0], [38.1, 1], [39.0, 1], [39.1, 2], [41.0, 2]]))('temperature $v °C → $s', ({ v, s }) => {
    expect(scoreTemperature(v)).toBe(s);
  });
  it('scores temperature as written to one decimal place', () => {
    expect(scoreTemperature(35.04)).toBe(3); // 35.0
    expect(scoreTemperature(35.06)).toBe(1); // 35.1
    expect(scoreTemperature(38.04)).toBe(0); // 38.0
    expect(scoreTemperature(39.05)).toBe(2); // 39.1
  });
});

const normal: News2Input = { respirationRate: 16, spo2: 97, spo2Scale: 1, onOxygen: false, systolicBp: 125, pulse: 72, consciousness: 'A', temperatureC: 36.8 };

describe('scoreNews2: total, band and response (Charts 2 and 3)', () => {
  it('a normal set scores 0, low, routine monitoring', () => {
    expect(scoreNews2(normal)).toMatchObject({ isComplete: true, total: 0, band: 'low', response: expect.stringMatching(/routine NEWS monitoring/) });
  });
  it('scores a worked set: 22/min, 95 % on air, 105 mmHg, 112/min, alert, 38.4 °C → 7, high', () => {
    const score = scoreNews2({ ...normal, respirationRate: 22, spo2: 95, systolicBp: 105, pulse: 112, temperatureC: 38.4 });
    expect(score).toEqual({
      isComplete: true,
      total: 7,
      subScores: { respirationRate: 2, spo2: 1, onOxygen: 0, systolicBp: 1, pulse: 2, consciousness: 0, temperature: 1 },
      band: 'high',
      response: expect.stringMatching(/^High \(7 or more\): emergency response/),
    });
  });
  it('a 3 in any single parameter lifts 0–4 to low–medium; 5–6 medium and 7+ high regardless', () => {
    expect(scoreNews2({ ...normal, consciousness: 'C' })).toMatchObject({ total: 3, band: 'low-medium', response: expect.stringMatching(/urgent ward-based response/) });
    expect(scoreNews2({ ...normal, pulse: 95 })).toMatchObject({ total: 1, band: 'low' });
    expect(scoreNews2({ ...normal, pulse: 95, respirationRate: 22, temperatureC: 38.5 })).toMatchObject({ total: 4, band: 'low' });
    expect(scoreNews2({ ...normal, onOxygen: true, respirationRate: 22, pulse: 95 })).toMatchObject({ total: 5, band: 'medium' });
    expect(scoreNews2({ ...normal, systolicBp: 85, respirationRate: 22, pulse: 95 })).toMatchObject({ total: 6, band: 'medium' });
    for (let total = 0; total <= 20; total++) {
      expect(news2Band(total, true)).toBe(total >= 7 ? 'high' : total >= 5 ? 'medium' : 'low-medium');
      expect(news2Band(total, false)).toBe(total >= 7 ? 'high' : total >= 5 ? 'medium' : 'low');
    }
  });
  it('uses scale 2 only when asked: 97 % on oxygen is 0 on scale 1 but 3 on scale 2', () => {
    expect(scoreNews2({ ...normal, onOxygen: true }).isComplete && scoreNews2({ ...normal, onOxygen: true })).toMatchObject({ subScores: { spo2: 0, onOxygen: 2 }, total: 2 });
    expect(scoreNews2({ ...normal, onOxygen: true, spo2Scale: 2 })).toMatchObject({ subScores: { spo2: 3, onOxygen: 2 }, total: 5 });
    expect(scoreNews2({ ...normal, spo2: 89, spo2Scale: 2 })).toMatchObject({ subScores: { spo2: 0 }, total: 0 });
    expect(scoreNews2({ ...normal, spo2: 89, spo2Scale: 1 })).toMatchObject({ subScores: { spo2: 3 }, band: 'low-medium' });
  });
  it('never gives a number for an incomplete set: it lists what is missing, in chart order', () => {
    expect(scoreNews2({ spo2Scale: 1 })).toEqual({ isComplete: false, missing: [...NEWS2_PARAMETERS] });
    expect(scoreNews2({ ...normal, pulse: null, temperatureC: undefined })).toEqual({ isComplete: false, missing: ['pulse', 'temperature'] });
    expect(scoreNews2({ ...normal, systolicBp: Number.NaN })).toEqual({ isComplete: false, missing: ['systolicBp'] });
  });
});

// Property tests over the whole plausible range of each parameter.
const setArb = fc.record({
  respirationRate: fc.integer({ min: 0, max: 80 }),
  spo2: fc.integer({ min: 50, max: 100 }),
  spo2Scale: fc.constantFrom(1 as const, 2 as const),
  onOxygen: fc.boolean(),
  systolicBp: fc.integer({ min: 40, max: 300 }),
  pulse: fc.integer({ min: 20, max: 250 }),
  consciousness: fc.constantFrom('A' as const, 'C' as const, 'V' as const, 'P' as const, 'U' as const),
  temperatureC: fc.integer({ min: 300, max: 430 }).map((t) => t / 10),
});

describe('properties', () => {
  it('the total is the sum of the sub-scores, each 0–3, and the band follows the total', () => {
    fc.assert(
      fc.property(setArb, (set) => {
        const score = scoreNews2(set);
        if (!score.isComplete) return false;
        const subs = Object.values(score.subScores);
        return subs.every((s) => s >= 0 && s <= 3) && score.total === subs.reduce((a, b) => a + b, 0) && score.band === news2Band(score.total, subs.includes(3));
      }),
      { numRuns: 2000, seed: 2017 },
    );
  });
  it('moving a value further from normal never lowers its sub-score', () => {
    const away = (score: (v: number) => number, normalValue: number, min: number, max: number) =>
      fc.assert(
        fc.property(fc.integer({ min, max }), fc.integer({ min, max }), (a, b) => {
          const [near, far] = Math.abs(a - normalValue) <= Math.abs(b - normalValue) && Math.sign(a - normalValue) * Math.sign(b - normalValue) >= 0 ? [a, b] : [b, a];
          if (Math.sign(near - normalValue) * Math.sign(far - normalValue) < 0) return true; // opposite sides: not comparable
          return score(far) >= score(near);
        }),
        { numRuns: 1000, seed: 7 },
      );
    away(scoreRespirationRate, 16, 0, 80);
    away(scorePulse, 70, 20, 250);
    away(scoreSystolicBp, 150, 40, 300);
    away((t) => scoreTemperature(t / 10), 370, 300, 430);
    away(scoreSpo2Scale1, 100, 50, 100);
    away((v) => scoreSpo2Scale2(v, false), 100, 50, 100);
    away((v) => scoreSpo2Scale2(v, true), 90, 50, 100);
  });
});
