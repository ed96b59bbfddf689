import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageText,
  dispositionChecks,
  dispositionProblems,
  handoverSigns,
  news2For,
  OBSERVATION_RULES,
  parseEntries,
  recordingProblems,
  scale2Evidence,
} from './triageRules';
import {
  type Disposition,
  EMPTY_DISPOSITION,
  EMPTY_ENTRIES,
  NUMERIC_OBSERVATIONS,
  type NumericObservation,
  type ObservationEntries,
  type ObservationSetView,
  type SetVersion,
  type Spo2ScaleChoice,
} from './triageViews';
import type { CarePlanView, ResuscitationStatus } from './views';

const SCALE_1: Spo2ScaleChoice = { scale: 1 };
const SCALE_2: Spo2ScaleChoice = { scale: 2, documentedBy: 'record', reason: 'COPD, target 88-92%' };
const only = (entries: Partial<ObservationEntries>): ObservationEntries => ({ ...EMPTY_ENTRIES, ...entries });
/** The example set of the brief: NEWS2 2+1+2+0+1+0+1 = 7. */
const FULL = only({ respirationRate: '22', spo2: '94', onOxygen: true, systolicBp: '128', diastolicBp: '80', pulse: '104', consciousness: 'A', temperatureC: '38.4' });

describe('parseEntries: plausible ranges, every bound on both sides', () => {
  const bounds: readonly [NumericObservation, string, string | null][] = [
    ['respirationRate', '0', null],
    ['respirationRate', '-1', 'Respiration rate must be between 0 and 80 breaths a minute'],
    ['respirationRate', '80', null],
    ['respirationRate', '81', 'Respiration rate must be between 0 and 80 breaths a minute'],
    ['spo2', '50', null],
    ['spo2', '49', 'SpO2 must be between 50 and 100%'],
    ['spo2', '100', null],
    ['spo2', '101', 'SpO2 must be between 50 and 100%'],
    ['systolicBp', '40', null],
    ['systolicBp', '39', 'Systolic blood pressure must be between 40 and 300 mmHg'],
    ['systolicBp', '300', null],
    ['systolicBp', '301', 'Systolic blood pressure must be between 40 and 300 mmHg'],
    ['diastolicBp', '20', null],
    ['diastolicBp', '19', 'Diastolic blood pressure must be between 20 and 200 mmHg'],
    ['diastolicBp', '200', null],
    ['diastolicBp', '201', 'Diastolic blood pressure must be between 20 and 200 mmHg'],
    ['pulse', '0', null],
    ['pulse', '-1', 'Pulse must be between 0 and 300 beats a minute'],
    ['pulse', '300', null],
    ['pulse', '301', 'Pulse must be between 0 and 300 beats a minute'],
    ['temperatureC', '25', null],
    ['temperatureC', '24.9', 'Temperature must be between 25 and 45 °C'],
    ['temperatureC', '45', null],
    ['temperatureC', '45.1', 'Temperature must be between 25 and 45 °C'],
  ];
  it.each(bounds)('%s %s', (field, typed, message) => {
    const { values, problems } = parseEntries(only({ [field]: typed }), SCALE_1);
    if (message === null) {
      expect(problems).toEqual([]);
      expect(values[field]).toBe(Number(typed));
    } else {
      expect(problems).toEqual([{ field, message }]);
      expect(values[field]).toBeNull();
    }
  });
});

describe('parseEntries: text that is not a number', () => {
  it.each(['-', '.', '12.3.4', '-.', 'abc', '1e2', '1,5', '+5'])('"%s" is malformed, named per field', (typed) => {
    expect(parseEntries(only({ respirationRate: typed }), SCALE_1).problems).toEqual([{ field: 'respirationRate', message: 'Enter the respiration rate as a number' }]);
    expect(parseEntries(only({ spo2: typed }), SCALE_1).problems).toEqual([{ field: 'spo2', message: 'Enter the SpO2 as a number' }]);
    expect(parseEntries(only({ temperatureC: typed }), SCALE_1).problems).toEqual([{ field: 'temperatureC', message: 'Enter the temperature as a number' }]);
  });
  it('an empty entry is "not taken", never a problem', () => {
    const { values, problems } = parseEntries(EMPTY_ENTRIES, SCALE_2);
    expect(problems).toEqual([]);
    expect(values).toEqual({
      respirationRate: null, spo2: null, systolicBp: null, diastolicBp: null, pulse: null, temperatureC: null,
      spo2Scale: 2, onOxygen: null, consciousness: null,
    });
  });
  it('carries air/oxygen, ACVPU and the scale through', () => {
    const { values } = parseEntries(FULL, SCALE_2);
    expect(values).toEqual({ respirationRate: 22, spo2: 94, systolicBp: 128, diastolicBp: 80, pulse: 104, temperatureC: 38.4, spo2Scale: 2, onOxygen: true, consciousness: 'A' });
  });
  it('"12." and "007" are numbers; "-0" is 0', () => {
    const { values, problems } = parseEntries(only({ respirationRate: '12.', pulse: '007', spo2: '', systolicBp: '-0' }), SCALE_1);
    expect(problems).toEqual([{ field: 'systolicBp', message: 'Systolic blood pressure must be between 40 and 300 mmHg' }]);
    expect(values.respirationRate).toBe(12);
    expect(values.pulse).toBe(7);
    expect(Object.is(parseEntries(only({ pulse: '-0' }), SCALE_1).values.pulse, 0)).toBe(true);
  });
});

describe('parseEntries: whole numbers and decimals', () => {
  it.each([
    ['respirationRate', '12.5', 'Respiration rate must be a whole number'],
    ['spo2', '94.5', 'SpO2 must be a whole number'],
    ['systolicBp', '120.1', 'Systolic blood pressure must be a whole number'],
    ['diastolicBp', '80.5', 'Diastolic blood pressure must be a whole number'],
    ['pulse', '72.5', 'Pulse must be a whole number'],
    ['pulse', '-1.5', 'Pulse must be a whole number'],
    ['temperatureC', '37.25', 'Temperature must have at most one decimal place'],
    ['temperatureC', '37.05', 'Temperature must have at most one decimal place'],
  ] as const)('%s "%s"', (field, typed, message) => {
    const parsed = parseEntries(only({ [field]: typed }), SCALE_1);
    expect(parsed.problems).toEqual([{ field, message }]);
    expect(parsed.values[field]).toBeNull();
  });
  it('trailing zeros are not decimal places: "72.0" is whole, "38.40" has one place', () => {
    const { values, problems } = parseEntries(only({ pulse: '72.0', temperatureC: '38.40' }), SCALE_1);
    expect(problems).toEqual([]);
    expect(values.pulse).toBe(72);
    expect(values.temperatureC).toBe(38.4);
  });
  it('a temperature with one decimal place, or none, is fine', () => {
    expect(parseEntries(only({ temperatureC: '36.6' }), SCALE_1).values.temperatureC).toBe(36.6);
    expect(parseEntries(only({ temperatureC: '37' }), SCALE_1).values.temperatureC).toBe(37);
  });
});

describe('parseEntries: diastolic below systolic', () => {
  it('diastolic equal to systolic is a problem, and is not kept', () => {
    const parsed = parseEntries(only({ systolicBp: '90', diastolicBp: '90' }), SCALE_1);
    expect(parsed.problems).toEqual([{ field: 'diastolicBp', message: 'Diastolic blood pressure must be lower than systolic' }]);
    expect(parsed.values.systolicBp).toBe(90);
    expect(parsed.values.diastolicBp).toBeNull();
  });
  it('diastolic above systolic is a problem; one below is not', () => {
    expect(parseEntries(only({ systolicBp: '90', diastolicBp: '120' }), SCALE_1).problems).toHaveLength(1);
    expect(parseEntries(only({ systolicBp: '90', diastolicBp: '89' }), SCALE_1).problems).toEqual([]);
  });
  it('the comparison needs both values valid', () => {
    expect(parseEntries(only({ systolicBp: '30', diastolicBp: '100' }), SCALE_1).problems).toEqual([
      { field: 'systolicBp', message: 'Systolic blood pressure must be between 40 and 300 mmHg' },
    ]);
  });
});

describe('parseEntries: property', () => {
  const typed = fc.oneof(
    fc.constantFrom('', '-', '.', '0', '-1', '12.3.4', '80', '81', '37.5', '37.55', '100', '200', '300', '301', '90', '89.9'),
    fc.stringMatching(/^-?\d{0,3}(\.\d{0,2})?$/),
    fc.string({ maxLength: 8 }),
  );
  const entries = fc.record({
    respirationRate: typed, spo2: typed, systolicBp: typed, diastolicBp: typed, pulse: typed, temperatureC: typed,
    onOxygen: fc.constantFrom(true, false, null),
    consciousness: fc.constantFrom('A' as const, 'C' as const, 'V' as const, 'P' as const, 'U' as const, null),
  });
  it('every field named in a problem is null in values; any other field is empty or a number in range', () => {
    fc.assert(
      fc.property(entries, (e) => {
        const { values, problems } = parseEntries(e, SCALE_1);
        const named = new Set(problems.map((p) => p.field));
        for (const field of NUMERIC_OBSERVATIONS) {
          const value = values[field];
          if (named.has(field)) expect(value).toBeNull();
          else if (e[field].trim() === '') expect(value).toBeNull();
          else {
            expect(value).toBeTypeOf('number');
            expect(value).toBeGreaterThanOrEqual(OBSERVATION_RULES[field].min);
            expect(value).toBeLessThanOrEqual(OBSERVATION_RULES[field].max);
          }
        }
        expect(problems.every((p) => (NUMERIC_OBSERVATIONS as readonly string[]).includes(p.field))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('news2For', () => {
  it('scores a complete set exactly', () => {
    expect(news2For(FULL, SCALE_1)).toEqual({
      isComplete: true,
      total: 7,
      subScores: { respirationRate: 2, spo2: 1, onOxygen: 2, systolicBp: 0, pulse: 1, consciousness: 0, temperature: 1 },
      band: 'high',
      response: expect.stringMatching(/^High \(7 or more\)/),
    });
  });
  it('uses the chosen scale: 94% on oxygen scores 1 on Scale 2', () => {
    const view = news2For(FULL, SCALE_2);
    expect(view.isComplete && view.subScores.spo2).toBe(1);
  });
  it('an incomplete set names what is missing, in chart order', () => {
    expect(news2For(only({ ...FULL, temperatureC: '', onOxygen: null }), SCALE_1)).toEqual({ isComplete: false, missing: ['onOxygen', 'temperature'] });
  });
  it('an implausible value counts as missing, never as a score', () => {
    expect(news2For({ ...FULL, pulse: '400' }, SCALE_1)).toEqual({ isComplete: false, missing: ['pulse'] });
  });
});

describe('recordingProblems', () => {
  it('nothing entered at all', () => {
    expect(recordingProblems(EMPTY_ENTRIES, SCALE_1)).toEqual([{ field: 'set', message: 'Enter at least one observation' }]);
  });
  it('just air/oxygen or just ACVPU is something entered', () => {
    expect(recordingProblems(only({ onOxygen: false }), SCALE_1)).toEqual([]);
    expect(recordingProblems(only({ consciousness: 'U' }), SCALE_1)).toEqual([]);
  });
  it('an incomplete set is recordable', () => {
    expect(recordingProblems({ ...FULL, temperatureC: '' }, SCALE_1)).toEqual([]);
  });
  it('half a blood pressure names the missing half', () => {
    const message = 'Enter both systolic and diastolic blood pressure, or neither';
    expect(recordingProblems({ ...FULL, diastolicBp: '' }, SCALE_1)).toEqual([{ field: 'diastolicBp', message }]);
    expect(recordingProblems({ ...FULL, systolicBp: '' }, SCALE_1)).toEqual([{ field: 'systolicBp', message }]);
    expect(recordingProblems({ ...FULL, systolicBp: '', diastolicBp: '' }, SCALE_1)).toEqual([]);
  });
  it('includes every parse problem', () => {
    expect(recordingProblems({ ...FULL, pulse: '72.5', spo2: '.' }, SCALE_1)).toEqual([
      { field: 'spo2', message: 'Enter the SpO2 as a number' },
      { field: 'pulse', message: 'Pulse must be a whole number' },
    ]);
  });
});

describe('ageText', () => {
  const at = new Date('2024-03-14T10:00:00Z');
  it.each([
    [null, 'Age not known'],
    ['', 'Age not known'],
    ['14/03/1957', 'Age not known'],
    ['2023-02-29', 'Age not known'],
    ['1957-13', 'Age not known'],
    ['2024-03-15', 'Age not known'],
    ['1957-03-14', '67 years'],
    ['1957-03-15', '66 years'],
    ['1957-03-13', '67 years'],
    ['2022-03-14', '2 years'],
    ['2022-03-15', '23 months'],
    ['2023-09-14', '6 months'],
    ['2024-02-14', '1 month'],
    ['2024-02-15', '4 weeks'],
    ['2024-02-22', '3 weeks'],
    ['2024-02-29', '2 weeks'],
    ['2024-03-01', '13 days'],
    ['2024-03-13', '1 day'],
    ['2024-03-14', '0 days'],
    ['1957', 'about 67 years'],
    ['1957-03', 'about 67 years'],
    ['1957-04', 'about 66 years'],
    ['2024', 'about 2 months'],
    ['2024-04', 'Age not known'],
  ])('%s → %s', (birthDate, expected) => {
    expect(ageText(birthDate, at)).toBe(expected);
  });
  it('a 29 February birthday comes on 1 March in a common year', () => {
    expect(ageText('2000-02-29', new Date('2023-02-28T12:00:00Z'))).toBe('22 years');
    expect(ageText('2000-02-29', new Date('2023-03-01T00:00:00Z'))).toBe('23 years');
    expect(ageText('2000-02-29', new Date('2024-02-29T00:00:00Z'))).toBe('24 years');
    expect(ageText('2000-02-29', new Date('2024-02-28T23:59:59Z'))).toBe('23 years');
  });
  it('a month birthday on the 31st comes on the 1st of the next month after a short month', () => {
    expect(ageText('2024-01-31', new Date('2024-02-29T12:00:00Z'))).toBe('4 weeks');
    expect(ageText('2024-01-31', new Date('2024-03-01T12:00:00Z'))).toBe('1 month');
  });
  it('compares calendar dates in UTC', () => {
    expect(ageText('1957-03-14', new Date('2024-03-14T00:30:00+01:00'))).toBe('66 years');
  });
});

const crew = { userId: 'u1', name: 'A Crew', practitionerId: null };
function version(n: number, status: SetVersion['status'], entries: ObservationEntries, takenAt: string): SetVersion {
  return { version: n, status, entries, spo2Scale: SCALE_1, takenAt, recordedAt: takenAt, recordedBy: crew, reason: n > 1 ? 'typo' : null };
}
function setView(setId: string, takenAt: string, entries: ObservationEntries, status: ObservationSetView['status'], versions?: SetVersion[]): ObservationSetView {
  const recorded = status === 'draft' ? [] : [version(1, status, entries, takenAt)];
  return {
    setId, takenAt, takenBy: crew, entries, spo2Scale: SCALE_1, savedAt: takenAt, versions: versions ?? recorded,
    status, isCorrecting: false, news2: news2For(entries, SCALE_1), problems: [], upload: 'waiting',
  };
}

describe('recordingProblems: SpO2 Scale 2', () => {
  it('needs the reason for the documented target', () => {
    const set = { ...EMPTY_ENTRIES, spo2: '90' };
    expect(recordingProblems(set, { scale: 2, documentedBy: 'clinician', reason: ' ' })).toEqual([{ field: 'spo2Scale', message: 'Give the reason for using SpO2 Scale 2 (the documented 88–92% target)' }]);
    expect(recordingProblems(set, { scale: 2, documentedBy: 'record', reason: 'COPD: target 88-92% (care plan)' })).toEqual([]);
  });
});

describe('handoverSigns', () => {
  // NEWS2 5: respiration 21 → 2, SpO2 95 → 1, air 0, BP 112 → 0, pulse 95 → 1, A 0, 38.1 → 1.
  const five = only({ respirationRate: '21', spo2: '95', onOxygen: false, systolicBp: '112', diastolicBp: '70', pulse: '95', consciousness: 'A', temperatureC: '38.1' });
  // NEWS2 6: FULL (7) with temperature 37.0 (0).
  const six = { ...FULL, temperatureC: '37' };
  it('no recorded sets', () => {
    expect(handoverSigns([])).toEqual(['No observations recorded']);
    expect(handoverSigns([setView('d', '2024-03-14T10:00:00Z', FULL, 'draft')])).toEqual(['No observations recorded']);
  });
  it('latest set in full, then the trend in time order, whatever order the sets come in', () => {
    const sets = [
      setView('c', '2024-03-14T10:42:00Z', six, 'final'),
      setView('a', '2024-03-14T11:15:00+01:00', five, 'final'),
      setView('b', '2024-03-14T10:30:00Z', FULL, 'amended'),
    ];
    expect(handoverSigns(sets)).toEqual([
      'Latest at 10:42: respiration 22 a minute, SpO2 94% on oxygen (Scale 1), BP 128/80 mmHg, pulse 104 a minute, consciousness A (alert), temperature 37.0 °C',
      'NEWS2 trend: 5 (10:15) → 7 (10:30) → 6 (10:42)',
    ]);
  });
  it('leaves out drafts and sets entered in error; shows incomplete sets as such', () => {
    const sets = [
      setView('a', '2024-03-14T10:15:00Z', five, 'final'),
      setView('x', '2024-03-14T10:18:00Z', FULL, 'entered-in-error'),
      setView('b', '2024-03-14T10:20:00Z', only({ pulse: '120', consciousness: 'V' }), 'final'),
      setView('d', '2024-03-14T10:25:00Z', FULL, 'draft'),
    ];
    expect(handoverSigns(sets)).toEqual(['Latest at 10:20: pulse 120 a minute, consciousness V (responds to voice)', 'NEWS2 trend: 5 (10:15) → incomplete (10:20)']);
  });
  it('uses the latest recorded version, not a correction still being typed', () => {
    const v1 = version(1, 'final', five, '2024-03-14T10:15:00Z');
    const v2 = version(2, 'amended', { ...five, pulse: '131' }, '2024-03-14T10:16:00Z');
    const set = { ...setView('a', '2024-03-14T10:15:00Z', only({ pulse: '60' }), 'amended', [v2, v1]), isCorrecting: true };
    expect(handoverSigns([set])).toEqual([
      'Latest at 10:16: respiration 21 a minute, SpO2 95% on air (Scale 1), BP 112/70 mmHg, pulse 131 a minute, consciousness A (alert), temperature 38.1 °C',
      'NEWS2 trend: 7 (10:16)',
    ]);
  });
  it('air or oxygen without an SpO2 still shows', () => {
    expect(handoverSigns([setView('a', '2024-03-14T23:59:00-01:00', only({ onOxygen: true }), 'final')])[0]).toBe('Latest at 00:59: on oxygen');
  });
  it('shows times on UK clocks, so a summer handover reads British Summer Time, not UTC', () => {
    const sets = [setView('a', '2024-07-01T09:15:00Z', five, 'final'), setView('b', '2024-10-27T00:30:00Z', five, 'final'), setView('c', '2024-10-27T01:30:00Z', five, 'final')];
    // 27 October 2024: BST ends at 02:00 BST (01:00 UTC); 00:30 UTC is 01:30 BST, 01:30 UTC is 01:30 GMT.
    expect(handoverSigns(sets)[1]).toBe('NEWS2 trend: 5 (10:15) → 5 (01:30) → 5 (01:30)');
  });
});

describe('dispositionProblems', () => {
  const d = (patch: Partial<Disposition>): Disposition => ({ ...EMPTY_DISPOSITION, ...patch });
  it.each([
    [d({}), [{ field: 'outcome', message: 'Choose what happened to the patient' }]],
    [d({ outcome: 'conveyed' }), [{ field: 'destination', message: 'Enter the hospital and department the patient is taken to' }]],
    [d({ outcome: 'conveyed', destination: '   ' }), [{ field: 'destination', message: 'Enter the hospital and department the patient is taken to' }]],
    [d({ outcome: 'conveyed', destination: 'Royal Infirmary ED' }), []],
    [d({ outcome: 'referred' }), [{ field: 'referredTo', message: 'Choose who the patient is referred to' }]],
    [d({ outcome: 'referred', referredTo: 'gp' }), []],
    [d({ outcome: 'deceased' }), [{ field: 'roleAt', message: 'Enter the time life was recognised as extinct' }]],
    [d({ outcome: 'deceased', roleAt: '2024-03-14T10:42:00Z' }), []],
    [d({ outcome: 'home-with-advice' }), []],
    [d({ outcome: 'see-and-treat' }), []],
    [d({ outcome: 'declined' }), []],
  ])('%o', (disposition, expected) => {
    expect(dispositionProblems(disposition)).toEqual(expected);
  });
});

describe('dispositionChecks', () => {
  const plan = (kind: CarePlanView['kind'], title: string, activities: string[] = []): CarePlanView => ({
    id: title, kind, title, description: 'Described', activities, author: null, confirmedAt: '2024-03-01T00:00:00Z',
    source: { by: null, organisation: null, at: null, system: null }, narrative: null, notes: [], status: 'active', start: null, end: null, isWaitingToUpload: false, contributions: [],
  });
  const as = (outcome: Disposition['outcome']): Disposition => ({ ...EMPTY_DISPOSITION, outcome });
  const ctx = (resuscitation: ResuscitationStatus, carePlans: CarePlanView[] = []) => ({ resuscitation, resuscitationHeadline: 'DNACPR decision recorded 2023-11-02', carePlans });
  const consider = 'resuscitation must be considered unless recognition of life extinct criteria are met.';

  it.each([
    ['dnacpr', { severity: 'info', text: 'Resuscitation decision in the shared care record: DNACPR decision recorded 2023-11-02' }],
    ['respect-not-for-cpr', { severity: 'info', text: 'Resuscitation decision in the shared care record: DNACPR decision recorded 2023-11-02' }],
    ['none-recorded', { severity: 'warning', text: `No DNACPR or ReSPECT decision is in the shared care record, so ${consider}` }],
    ['not-yet-confirmed', { severity: 'warning', text: `The resuscitation decision could not be confirmed: the shared care record has not been checked for this patient yet. Check for a paper DNACPR or ReSPECT form; ${consider}` }],
    ['unreadable', { severity: 'warning', text: `The resuscitation decision could not be confirmed: a decision in the shared care record could not be read. Check for a paper DNACPR or ReSPECT form; ${consider}` }],
    ['conflicting', { severity: 'warning', text: `The resuscitation decision could not be confirmed: the shared care record holds conflicting decisions, both for and not for CPR. Check for a paper DNACPR or ReSPECT form; ${consider}` }],
    ['respect-for-cpr', { severity: 'warning', text: 'The shared care record recommends CPR: DNACPR decision recorded 2023-11-02. Resuscitation must be attempted unless recognition of life extinct criteria are met.' }],
  ] as const)('deceased with %s', (status, check) => {
    expect(dispositionChecks(as('deceased'), ctx(status))).toEqual([check]);
  });
  it('no resuscitation check unless deceased', () => {
    for (const status of ['dnacpr', 'none-recorded', 'conflicting', 'respect-for-cpr'] as const) {
      expect(dispositionChecks(as('conveyed'), ctx(status))).toEqual([]);
      expect(dispositionChecks(as(null), ctx(status))).toEqual([]);
    }
  });
  it('end-of-life plan: conveying asks for the preferred place of care; other outcomes are gentler', () => {
    const plans = [plan('end-of-life', 'Palliative care plan')];
    expect(dispositionChecks(as('conveyed'), ctx('respect-for-cpr', plans))).toEqual([
      { severity: 'info', text: 'End-of-life care plan: Palliative care plan — check the preferred place of care and wishes before conveying' },
    ]);
    for (const outcome of ['home-with-advice', 'referred', 'declined', 'see-and-treat'] as const) {
      expect(dispositionChecks(as(outcome), ctx('dnacpr', plans))).toEqual([{ severity: 'info', text: "End-of-life care plan: Palliative care plan — read it for the patient's wishes" }]);
    }
    expect(dispositionChecks(as('deceased'), ctx('dnacpr', plans)).map((c) => c.text)).toEqual([
      'Resuscitation decision in the shared care record: DNACPR decision recorded 2023-11-02',
      "End-of-life care plan: Palliative care plan — read it for the patient's wishes",
    ]);
  });
  it('mental health crisis plan for conveyed, referred or home, with its first activity', () => {
    const withActivity = [plan('mental-health-crisis', 'Crisis plan', ['', 'Call the crisis team on 0300 000 0000', 'Second'])];
    for (const outcome of ['conveyed', 'referred', 'home-with-advice'] as const) {
      expect(dispositionChecks(as(outcome), ctx('none-recorded', withActivity))).toEqual([
        { severity: 'info', text: 'Mental health crisis plan: Crisis plan — first action in the plan: Call the crisis team on 0300 000 0000' },
      ]);
    }
    expect(dispositionChecks(as('referred'), ctx('none-recorded', [plan('mental-health-crisis', 'Crisis plan')]))).toEqual([{ severity: 'info', text: 'Mental health crisis plan: Crisis plan' }]);
    expect(dispositionChecks(as('declined'), ctx('none-recorded', withActivity))).toEqual([]);
  });
  it('sickle cell plan only when conveyed; unknown kinds never', () => {
    const plans = [plan('sickle-cell', 'Sickle cell pain plan'), plan(null, 'Falls plan')];
    expect(dispositionChecks(as('conveyed'), ctx('none-recorded', plans))).toEqual([{ severity: 'info', text: 'Sickle cell care plan: Sickle cell pain plan — share it with the receiving team' }]);
    expect(dispositionChecks(as('home-with-advice'), ctx('none-recorded', plans))).toEqual([]);
  });
  it('quotes only the plan: the description stands in for an empty title, long text is cut', () => {
    const untitled = { ...plan('sickle-cell', ' '), description: 'Hydroxycarbamide; IV opioids early' };
    expect(dispositionChecks(as('conveyed'), ctx('none-recorded', [untitled]))[0]?.text).toBe('Sickle cell care plan: Hydroxycarbamide; IV opioids early — share it with the receiving team');
    const long = plan('sickle-cell', 'x'.repeat(600));
    const text = dispositionChecks(as('conveyed'), ctx('none-recorded', [long]))[0]?.text ?? '';
    expect(text).toBe(`Sickle cell care plan: ${'x'.repeat(199)}… — share it with the receiving team`);
  });
});

describe('scale2Evidence', () => {
  it.each([
    ['COPD. Target sats 88-92%. Uses home oxygen.', 'Alert: Target sats 88-92%.'],
    ['Keep saturations 88–92 % on venturi', 'Alert: Keep saturations 88–92 % on venturi'],
    ['Aim for 88 to 92% on oxygen', 'Alert: Aim for 88 to 92% on oxygen'],
    ['Hypercapnic. TARGET SATURATIONS 88-92 on 28% venturi.', 'Alert: TARGET SATURATIONS 88-92 on 28% venturi.'],
    ['SpO2 88%-92%', 'Alert: SpO2 88%-92%'],
    ['Line one\nSats target range 88—92%\nLine three', 'Alert: Sats target range 88—92%'],
  ])('%s', (text, expected) => {
    expect(scale2Evidence([{ where: 'Alert', text }])).toBe(expected);
  });
  it.each(['Saturated at 88% on air', 'Target sats 90-94%', 'Target 94-98%', 'Room 88-92', 'Target sats 188-92%', 'Target sats 88-925', '88-92.5%', 'sats 88 92%'])('not "%s"', (text) => {
    expect(scale2Evidence([{ where: 'Alert', text }])).toBeNull();
  });
  it('the first text that documents it, with where', () => {
    expect(scale2Evidence([])).toBeNull();
    expect(
      scale2Evidence([
        { where: 'Alert', text: 'Lives alone' },
        { where: 'Care plan: COPD plan', text: 'Target 88-92%' },
        { where: 'Alert', text: 'Target 88-92%' },
      ]),
    ).toBe('Care plan: COPD plan: Target 88-92%');
  });
  it('cuts a long sentence to 200 characters, keeping the range in view', () => {
    const text = `${'a'.repeat(300)} target sats 88-92% ${'b'.repeat(300)}`;
    const found = scale2Evidence([{ where: 'W', text }]) ?? '';
    const excerpt = found.slice('W: '.length);
    expect(excerpt).toHaveLength(200);
    expect(excerpt).toMatch(/^…a+ target sats 88-92% b+…$/);
  });
});
