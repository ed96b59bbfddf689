import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HAZARD_LOG_PATH, type HazardLog, type SafetyHazard, loadHazardLog, riskOf } from './safetyLog';
import { REPORT_PATH, byResidualRisk, renderSafetyCaseReport, writeSafetyCaseReport } from './safetyReport';

// `npm run safety-report` (issue #15): the clinical safety case rendered from the hazard log.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A one-hazard log whose only control names core/a.test.ts. */
const MINIMAL_LOG = `system: OnScene
logVersion: '0.1'
lastReviewed: '2026-12-03'
scope: Scope.
intendedUse: Use.
systemDescription: System.
hazards:
  - id: HAZ-001
    title: A hazard
    area: Test
    description: What goes wrong.
    causes: [A cause.]
    effect: An effect.
    harm: A harm.
    initial: { severity: major, severityRationale: x, likelihood: high, likelihoodRationale: x, risk: high }
    controls:
      - id: HAZ-001.1
        kind: design
        description: A rule.
        tests:
          - { file: core/a.test.ts, name: says none only when confirmed }
    residual: { severity: major, severityRationale: x, likelihood: very-low, likelihoodRationale: x, risk: low }
    status: mitigated
`;


const hazard = (id: string, residual: [SafetyHazard['residual']['severity'], SafetyHazard['residual']['likelihood']], over: Partial<SafetyHazard> = {}): SafetyHazard => ({
  id,
  title: `Hazard ${id}`,
  area: 'Test',
  description: `What goes wrong in ${id}.`,
  causes: ['A cause.'],
  effect: 'An effect.',
  harm: 'A harm.',
  initial: { severity: 'major', severityRationale: 'Bad.', likelihood: 'high', likelihoodRationale: 'Often.', risk: 'high' },
  controls: [
    {
      id: `${id}.1`,
      kind: 'design',
      description: 'A rule | with a pipe.',
      tests: [{ file: 'core/a.test.ts', name: 'says none only when confirmed', match: 'exact' }],
      documents: [],
    },
  ],
  residual: { severity: residual[0], severityRationale: 'Bad.', likelihood: residual[1], likelihoodRationale: 'Rarely.', risk: riskOf(...residual) },
  status: 'mitigated',
  openItems: [],
  ...over,
});

const log: HazardLog = {
  system: 'OnScene',
  logVersion: '0.9',
  lastReviewed: '2026-12-03',
  scope: 'The scope paragraph.',
  intendedUse: 'The intended use paragraph.',
  systemDescription: 'The system description paragraph.',
  outOfScope: ['The central record.'],
  hazards: [
    hazard('HAZ-001', ['major', 'very-low']),
    hazard('HAZ-002', ['major', 'low'], { status: 'open', justification: 'Why medium is accepted for now.', openItems: ['Issue #11: read the other shapes.'] }),
    hazard('HAZ-003', ['minor', 'very-low']),
  ],
};

describe('the clinical safety case report', () => {
  const report = renderSafetyCaseReport(log, 'abc123');

  it('has the scope, intended use, system description and the method with the DCB0129 matrix', () => {
    for (const text of ['## 1. Scope', 'The scope paragraph.', '- The central record.', '## 2. Intended use', 'The intended use paragraph.', '## 3. System description', 'The system description paragraph.']) {
      expect(report).toContain(text);
    }
    expect(report).toContain('## 4. Clinical risk management method');
    expect(report).toContain('| **very high** | 3 | 4 | 4 | 5 | 5 |');
    expect(report).toContain('| **very low** | 1 | 1 | 2 | 2 | 3 |');
    expect(report).toContain('Hazard log version 0.9, last reviewed 2026-12-03, SHA-256 `abc123`');
  });

  it('orders hazards by residual risk, highest first, and explains each one above low', () => {
    expect(byResidualRisk(log.hazards).map((h) => h.id)).toEqual(['HAZ-002', 'HAZ-001', 'HAZ-003']);
    const summary = report.slice(report.indexOf('## 5.'), report.indexOf('## 6.'));
    expect(summary.indexOf('HAZ-002')).toBeLessThan(summary.indexOf('HAZ-001'));
    expect(summary.indexOf('HAZ-001')).toBeLessThan(summary.indexOf('HAZ-003'));
    expect(summary).toContain('| [HAZ-002](#haz-002) Hazard HAZ-002 | Test | 4 high | 3 medium | open |');
    const aboveLow = report.slice(report.indexOf('## 6.'), report.indexOf('## 7.'));
    expect(aboveLow).toContain('### HAZ-002: Hazard HAZ-002 (residual 3 medium, open)');
    expect(aboveLow).toContain('Why medium is accepted for now.');
    expect(aboveLow).not.toContain('HAZ-001');
  });

  it('shows the evidence: each control with the test file and test name that prove it, and an index by test file', () => {
    const detail = report.slice(report.indexOf('## 7.'), report.indexOf('## 8.'));
    expect(detail).toContain('- **HAZ-002.1** (design): A rule | with a pipe.');
    expect(detail).toContain('  - `core/a.test.ts`: `says none only when confirmed`');
    expect(report).toContain('| `core/a.test.ts` | HAZ-001.1, HAZ-002.1, HAZ-003.1 |');
  });

  it('lists the open items and ends with a sign-off block for the Clinical Safety Officer', () => {
    const open = report.slice(report.indexOf('## 9.'), report.indexOf('## 10.'));
    expect(open).toContain('- **HAZ-002** (open, residual 3 medium): Issue #11: read the other shapes.');
    const signOff = report.slice(report.indexOf('## 10. Clinical Safety Officer sign-off'));
    for (const field of ['| Name |', '| Role | Clinical Safety Officer |', '| Professional registration', '| Date |', '| Signature |']) expect(signOff).toContain(field);
  });

  it('depends only on the log: the same log renders the same text', () => {
    expect(renderSafetyCaseReport(log, 'abc123')).toBe(report);
  });
});

describe('npm run safety-report', () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-safety-'));
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

  const project = (name: string, testSource: string): string => {
    const dir = path.join(temp, name);
    fs.mkdirSync(path.join(dir, 'core'), { recursive: true });
    fs.mkdirSync(path.join(dir, path.dirname(HAZARD_LOG_PATH)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'core/a.test.ts'), testSource);
    fs.writeFileSync(path.join(dir, HAZARD_LOG_PATH), MINIMAL_LOG);
    return dir;
  };

  it('writes the report where it says, from the log under the root', () => {
    const dir = project('good', "it('says none only when confirmed', () => {});");
    const written = writeSafetyCaseReport(dir);
    expect(written).toEqual({ path: path.join(dir, REPORT_PATH), hazards: 1, aboveLow: 0 });
    expect(fs.readFileSync(written.path, 'utf8')).toContain('### HAZ-001: A hazard');
  });

  it('refuses to write a report while the log does not hold, naming every problem', () => {
    const dir = project('broken', "it('says something else', () => {});");
    expect(() => writeSafetyCaseReport(dir)).toThrow(/does not hold, so no report was written:\n {2}- HAZ-001 \/ HAZ-001\.1: core\/a\.test\.ts has no it\/test\/describe named "says none only when confirmed"/);
    expect(fs.existsSync(path.join(dir, REPORT_PATH))).toBe(false);
  });

  it('the committed report is the one the log makes now (run `npm run safety-report` after changing the log)', () => {
    const parsed = loadHazardLog(root);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const expected = renderSafetyCaseReport(parsed.log, createHash('sha256').update(parsed.text).digest('hex'));
    expect(fs.readFileSync(path.join(root, REPORT_PATH), 'utf8') === expected, `${REPORT_PATH} is out of date: run npm run safety-report`).toBe(true);
  });
});
