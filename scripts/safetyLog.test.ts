import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type HazardLog,
  LIKELIHOODS,
  type SafetyControl,
  type SafetyHazard,
  SEVERITIES,
  type SourceTree,
  checkHazardLog,
  headingAnchor,
  loadHazardLog,
  parseHazardLog,
  repositoryTree,
  riskOf,
  riskScore,
  testNamesIn,
} from './safetyLog';

// The DCB0129 hazard log's traceability check (issue #15): the log in docs/safety must hold, and
// the checker must catch each way it can break. How to fix a failure: docs/safety/README.md.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the hazard log in docs/safety', () => {
  it('holds: every referenced test exists by file and name, every hazard has a control, every residual risk above low is justified', () => {
    const parsed = loadHazardLog(root);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    if (!parsed.ok) return;
    expect(checkHazardLog(parsed.log, repositoryTree(root))).toEqual([]);
    expect(parsed.log.hazards.length).toBeGreaterThanOrEqual(12);
  });
});

describe('the DCB0129 risk matrix', () => {
  it('has the guidance’s 25 cells, likelihood by severity', () => {
    // Rows very high … very low; columns minor, significant, considerable, major, catastrophic.
    const expected: Record<string, number[]> = {
      'very-high': [3, 4, 4, 5, 5],
      high: [2, 3, 3, 4, 5],
      medium: [2, 2, 3, 3, 4],
      low: [1, 2, 2, 3, 4],
      'very-low': [1, 1, 2, 2, 3],
    };
    for (const likelihood of LIKELIHOODS) expect(SEVERITIES.map((s) => riskScore(s, likelihood)), likelihood).toEqual(expected[likelihood]);
    expect(riskOf('catastrophic', 'very-high')).toBe('very-high');
    expect(riskOf('major', 'low')).toBe('medium');
    expect(riskOf('minor', 'very-low')).toBe('very-low');
  });

  it('never lowers the risk when severity or likelihood rises', () => {
    for (const [si, s] of SEVERITIES.entries()) {
      for (const [li, l] of LIKELIHOODS.entries()) {
        if (si > 0) expect(riskScore(s, l)).toBeGreaterThanOrEqual(riskScore(SEVERITIES[si - 1]!, l));
        if (li > 0) expect(riskScore(s, l)).toBeGreaterThanOrEqual(riskScore(s, LIKELIHOODS[li - 1]!));
      }
    }
  });
});

describe('test names as vitest sees them', () => {
  it('reads describe, it and test with their modifiers, it.each format strings and template literals, not comments', () => {
    const source = [
      "describe('outer', () => {",
      "  it('plain', () => {});",
      '  test(`no substitution`, () => {});',
      "  it.each([1, 2])('case %s', () => {});",
      "  it.skipIf(process.env.CI)('only locally', () => {});",
      "  describe.skipIf(true).each([1])('nested $0', () => {});",
      '  it(`kills ${RUNS} times`, () => {});',
      "  it.only('focused', () => {});",
      "  // it('in a comment', () => {});",
      "  const label = 'it(\"in a string\")';",
      "  expect(x).it('not a test');",
      '});',
    ].join('\n');
    const names = testNamesIn(source);
    expect(names.map((n) => n.text)).toEqual(['outer', 'plain', 'no substitution', 'case %s', 'only locally', 'nested $0', 'kills ${RUNS} times', 'focused']);
    expect(names.find((n) => n.text.startsWith('kills'))).toMatchObject({ head: 'kills ', line: 7 });
    expect(names.filter((n) => n.head !== null)).toHaveLength(1);
  });

  it('marks skip and todo as proving nothing, but not skipIf', () => {
    const names = testNamesIn("it.skip('a', () => {});\nit.todo('b');\ndescribe.skip('c', () => {});\nit.skipIf(x)('d', () => {});\nit.concurrent.skip('e', () => {});");
    expect(names.map((n) => [n.text, n.isSkipped])).toEqual([['a', true], ['b', true], ['c', true], ['d', false], ['e', true]]);
  });
});

// ---- The checker, on small logs in memory ---------------------------------------------------------

const TESTS: Record<string, string> = {
  'core/a.test.ts': "describe('rule A', () => {\n  it('says none only when confirmed', () => {});\n  it.each([1])('scores %s', () => {});\n  it.skip('is not written yet', () => {});\n});",
  'sync/crash.test.ts': "it(`survives ${RUNS} SIGKILLs`, async () => {});\nit('survives a lost answer', () => {});",
  'sync/b.test.ts': "it(`retries ${N} times`, () => {});\nit(`retries ${N} times again`, () => {});",
  'core/moved.test.ts': "it('keeps the old name', () => {});",
  'README.md': '# OnScene',
};

function memoryTree(files: Record<string, string> = TESTS): SourceTree {
  return { read: (rel) => files[rel] ?? null, testFiles: () => Object.keys(files).filter((f) => f.endsWith('.test.ts')) };
}

const control = (over: Partial<SafetyControl> = {}): SafetyControl => ({
  id: 'HAZ-001.1',
  kind: 'design',
  description: 'A rule.',
  tests: [{ file: 'core/a.test.ts', name: 'says none only when confirmed', match: 'exact' }],
  documents: [],
  ...over,
});

const assessment = (severity: SafetyHazard['initial']['severity'], likelihood: SafetyHazard['initial']['likelihood']) => ({
  severity,
  severityRationale: 'Because.',
  likelihood,
  likelihoodRationale: 'Because.',
  risk: riskOf(severity, likelihood),
});

const hazard = (over: Partial<SafetyHazard> = {}): SafetyHazard => ({
  id: 'HAZ-001',
  title: 'A hazard',
  area: 'Test',
  description: 'What goes wrong.',
  causes: ['A cause.'],
  effect: 'An effect.',
  harm: 'A harm.',
  initial: assessment('major', 'high'),
  controls: [control()],
  residual: assessment('major', 'very-low'),
  status: 'mitigated',
  openItems: [],
  ...over,
});

const logOf = (...hazards: SafetyHazard[]): HazardLog => ({
  system: 'OnScene',
  logVersion: '0.1',
  lastReviewed: '2026-12-03',
  scope: 'Scope.',
  intendedUse: 'Use.',
  systemDescription: 'System.',
  outOfScope: [],
  hazards,
});

const check = (log: HazardLog, tree = memoryTree()) => checkHazardLog(log, tree);
const withTest = (file: string, name: string, extra: Partial<SafetyControl['tests'][number]> = {}) =>
  logOf(hazard({ controls: [control({ tests: [{ file, name, match: 'exact', ...extra }] })] }));

describe('the traceability check catches each way the log breaks', () => {
  it('passes a log that holds', () => {
    expect(check(logOf(hazard()))).toEqual([]);
  });

  it('a referenced test file that does not exist (and says where the name went)', () => {
    expect(check(withTest('core/gone.test.ts', 'says none only when confirmed'))).toEqual([
      'HAZ-001 / HAZ-001.1: core/gone.test.ts does not exist (the name is now in core/a.test.ts)',
    ]);
    expect(check(withTest('core/gone.test.ts', 'never written'))).toEqual(['HAZ-001 / HAZ-001.1: core/gone.test.ts does not exist']);
  });

  it('a test name that is not in the file, with the closest name and where it moved', () => {
    expect(check(withTest('core/a.test.ts', 'says none only when it was confirmed'))).toEqual([
      'HAZ-001 / HAZ-001.1: core/a.test.ts has no it/test/describe named "says none only when it was confirmed" (closest: "says none only when confirmed", line 2)',
    ]);
    expect(check(withTest('core/a.test.ts', 'keeps the old name'))[0]).toMatch(/has no it\/test\/describe named "keeps the old name" \(the name is now in core\/moved\.test\.ts\)$/);
    // A name is matched whole: a prefix of a plain name is not enough.
    expect(check(withTest('core/a.test.ts', 'says none'))).toHaveLength(1);
  });

  it('accepts an it.each format string and a describe name exactly as written', () => {
    expect(check(withTest('core/a.test.ts', 'scores %s'))).toEqual([]);
    expect(check(withTest('core/a.test.ts', 'rule A'))).toEqual([]);
  });

  it('a template-literal name needs match: prefix, with a reason, covering the text before ${…}, and matching one test only', () => {
    expect(check(withTest('sync/crash.test.ts', 'survives ${RUNS} SIGKILLs'))[0]).toMatch(/builds its name with a template literal: use match: prefix$/);
    expect(check(withTest('sync/crash.test.ts', 'survives', { match: 'prefix', because: 'counts its kills' }))).toHaveLength(1); // also a prefix of 'survives a lost answer'
    expect(check(withTest('sync/crash.test.ts', 'survives ${RUNS}', { match: 'prefix', because: 'counts its kills' }))).toEqual([]);
    expect(check(withTest('sync/crash.test.ts', 'survives ${RUNS}', { match: 'prefix' }))[0]).toMatch(/a prefix match must say why/);
    expect(check(withTest('sync/crash.test.ts', 'surv', { match: 'prefix', because: 'x' }))[0]).toMatch(/stops short of the literal text before the first \$\{…\} \("survives ", line 1\): cover at least that$/);
    expect(check(withTest('sync/b.test.ts', 'retries ${N} times', { match: 'prefix', because: 'x' }))[0]).toMatch(/matches 2 tests \(lines 1, 2\): make it longer$/);
    expect(check(withTest('core/a.test.ts', 'says none', { match: 'prefix', because: 'x' }))[0]).toMatch(/a prefix match is only for template-literal names/);
  });

  it('a test marked skip, a file that is not a test, a path out of the repository', () => {
    expect(check(withTest('core/a.test.ts', 'is not written yet'))).toEqual(['HAZ-001 / HAZ-001.1: core/a.test.ts line 4 "is not written yet" is marked skip/todo, so it proves nothing']);
    expect(check(withTest('README.md', 'OnScene'))[0]).toMatch(/README\.md is not a test file/);
    expect(check(withTest('../elsewhere/a.test.ts', 'x'))[0]).toMatch(/is not a test file/);
  });

  it('a hazard with no control, a design or test control with no test, a document or heading that is not there', () => {
    expect(check(logOf(hazard({ controls: [] })))).toEqual(['HAZ-001: has no control']);
    expect(check(logOf(hazard({ controls: [control({ kind: 'test', tests: [] })] })))).toEqual(['HAZ-001 / HAZ-001.1: a test control names no test that proves it']);
    // Training and documentation need no test, but the documents they name must exist.
    expect(check(logOf(hazard({ controls: [control({ kind: 'training-documentation', tests: [], documents: ['README.md'] })] })))).toEqual([]);
    expect(check(logOf(hazard({ controls: [control({ kind: 'training-documentation', tests: [], documents: ['docs/gone.md', 'README.md#onscene', 'README.md#gone'] })] })))).toEqual([
      'HAZ-001 / HAZ-001.1: document docs/gone.md does not exist',
      'HAZ-001 / HAZ-001.1: document README.md#gone has no heading #gone',
    ]);
    expect(headingAnchor(' Security: sign-in, keys, sessions and access')).toBe('security-sign-in-keys-sessions-and-access');
  });

  it('a residual risk above low without a justification', () => {
    const unjustified = hazard({ residual: assessment('major', 'low'), status: 'accepted' });
    expect(check(logOf(unjustified))).toEqual(['HAZ-001: residual risk medium is above low and has no justification']);
    expect(check(logOf({ ...unjustified, justification: 'Why this is acceptable.' }))).toEqual([]);
    // Low needs none.
    expect(check(logOf(hazard({ residual: assessment('considerable', 'low') })))).toEqual([]);
  });

  it('a risk that is not the matrix’s, and a residual above the initial risk', () => {
    const wrong = hazard({ residual: { ...assessment('major', 'very-low'), risk: 'very-low' } });
    expect(check(logOf(wrong))).toEqual(['HAZ-001: residual risk is written very-low but major × very-low is low in the DCB0129 matrix']);
    const worse = hazard({ initial: assessment('minor', 'low'), residual: assessment('significant', 'low') });
    expect(check(logOf(worse))).toEqual(['HAZ-001: residual risk low is above the initial very-low']);
  });

  it('ids used twice, a control id that is not its hazard’s, an open hazard with nothing open', () => {
    expect(check(logOf(hazard(), hazard()))).toEqual(['HAZ-001: the id is used more than once', 'HAZ-001.1: the id is used more than once']);
    expect(check(logOf(hazard({ id: 'HAZ-002' })))).toEqual(['HAZ-002 / HAZ-001.1: a control\'s id starts with its hazard\'s id']);
    expect(check(logOf(hazard({ status: 'open' })))).toEqual(['HAZ-001: is open but lists no open item']);
  });
});

describe('reading the YAML', () => {
  const minimal = [
    'system: OnScene',
    "logVersion: '0.1'",
    "lastReviewed: '2026-12-03'",
    'scope: Scope.',
    'intendedUse: Use.',
    'systemDescription: System.',
    'hazards:',
    '  - id: HAZ-001',
    '    title: A hazard',
    '    area: Test',
    '    description: What goes wrong.',
    '    causes: [A cause.]',
    '    effect: An effect.',
    '    harm: A harm.',
    '    initial: { severity: major, severityRationale: x, likelihood: high, likelihoodRationale: x, risk: high }',
    '    controls:',
    '      - id: HAZ-001.1',
    '        kind: design',
    '        description: A rule.',
    '        tests:',
    '          - { file: core/a.test.ts, name: says none only when confirmed }',
    '    residual: { severity: major, severityRationale: x, likelihood: very-low, likelihoodRationale: x, risk: low }',
    '    status: mitigated',
  ].join('\n');

  it('parses a log and fills the defaults', () => {
    const parsed = parseHazardLog(minimal);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.log.hazards[0]?.controls[0]?.tests[0]?.match).toBe('exact');
    expect(check(parsed.log)).toEqual([]);
  });

  it('reports broken YAML, a misspelt key, a value off the scale and a duplicate key, saying where', () => {
    expect(parseHazardLog('hazards: [\n  - id: HAZ-001').ok).toBe(false);
    const problems = (text: string) => {
      const parsed = parseHazardLog(text);
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems(minimal + '\n    justifcation: typo')).toEqual([expect.stringMatching(/^hazards\[0\] \(HAZ-001\): Unrecognized key.*justifcation/)]);
    expect(problems(minimal.replace('severity: major, severityRationale: x, likelihood: high', 'severity: grave, severityRationale: x, likelihood: high'))).toEqual([
      expect.stringMatching(/^hazards\[0\] \(HAZ-001\)\.initial\.severity: /),
    ]);
    expect(problems(minimal.replace('    status: mitigated', '    status: mitigated\n    status: open'))[0]).toMatch(/^not valid YAML: .*unique/i);
  });
});
