import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The DCB0129 hazard log (docs/safety/hazard-log.yaml): its schema, the risk matrix, and the
 * traceability check that every control is proved by a test that exists. scripts/safetyLog.test.ts
 * runs the check in `npm test`; scripts/safetyReport.ts renders the safety case from the same log.
 * How to read and maintain the log: docs/safety/README.md.
 */

export const HAZARD_LOG_PATH = 'docs/safety/hazard-log.yaml';

// ---- The DCB0129 risk matrix ---------------------------------------------------------------------
//
// Severity (consequence) and likelihood scales and the 5 × 5 matrix are those of the DCB0129 and
// DCB0160 Implementation Guidance (NHS Digital, now NHS England: "Clinical Risk Management: its
// Application in the Manufacture of Health IT Systems", risk estimation and evaluation): risk 1
// "very low" (acceptable, no further action) to 5 "very high" (unacceptable). Checked against the
// Digital Clinical Safety Alliance's DCB0129 hazard template, which encodes the same cells:
// https://github.com/digital-clinical-safety-alliance/digital-clinical-safety-platform
// (templates/DCB0129/templates/hazard-template.md, "Risk scoring": L1-S1 … L5-S5).

export const SEVERITIES = ['minor', 'significant', 'considerable', 'major', 'catastrophic'] as const;
export const LIKELIHOODS = ['very-low', 'low', 'medium', 'high', 'very-high'] as const;
export const RISKS = ['very-low', 'low', 'medium', 'high', 'very-high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Likelihood = (typeof LIKELIHOODS)[number];
export type Risk = (typeof RISKS)[number];

/** Rows by likelihood, columns by severity (minor … catastrophic); cells are risk 1–5. */
const MATRIX: Readonly<Record<Likelihood, readonly [number, number, number, number, number]>> = {
  'very-high': [3, 4, 4, 5, 5],
  high: [2, 3, 3, 4, 5],
  medium: [2, 2, 3, 3, 4],
  low: [1, 2, 2, 3, 4],
  'very-low': [1, 1, 2, 2, 3],
};

/** Risk 1–5 of a severity and a likelihood, from the DCB0129 matrix. `riskScore('major', 'low')` is 3. */
export function riskScore(severity: Severity, likelihood: Likelihood): number {
  return MATRIX[likelihood][SEVERITIES.indexOf(severity)] ?? 5;
}

/** The risk level's name. `riskOf('major', 'low')` is 'medium'. */
export function riskOf(severity: Severity, likelihood: Likelihood): Risk {
  return RISKS[riskScore(severity, likelihood) - 1] ?? 'very-high';
}

/** 1 (very low) … 5 (very high). */
export const scoreOf = (risk: Risk): number => RISKS.indexOf(risk) + 1;

/** Residual risks at or above this need a written justification (the guidance: "undesirable"). */
export const JUSTIFY_FROM: Risk = 'medium';

/** The guidance's descriptors, for the report (paraphrased). */
export const SEVERITY_TEXT: Readonly<Record<Severity, string>> = {
  minor: 'Minor injury or short-term recovery, minor psychological upset, inconvenience; negligible consequence.',
  significant: 'Minor injury with long-term recovery, or significant psychological trauma, to one patient; minor injury to several.',
  considerable: 'Severe injury or incapacity from which recovery is expected (one patient); significant psychological trauma to several.',
  major: 'Death, or permanent life-changing incapacity, of one patient; severe injury or incapacity of several.',
  catastrophic: 'Death, or permanent life-changing incapacity, of several patients.',
};
export const LIKELIHOOD_TEXT: Readonly<Record<Likelihood, string>> = {
  'very-high': 'Certain or almost certain; highly likely to occur.',
  high: 'Not certain but very possible; reasonably expected to occur in the majority of cases.',
  medium: 'Possible.',
  low: 'Could occur, but in the great majority of occasions will not.',
  'very-low': 'Negligible or nearly negligible possibility of occurring.',
};
export const RISK_TEXT: Readonly<Record<Risk, string>> = {
  'very-low': 'Acceptable: no further action required.',
  low: 'Acceptable where the cost of further reduction outweighs the benefit, or further reduction is impractical.',
  medium: 'Undesirable: attempts should be made to eliminate the hazard or add controls.',
  high: 'Mandatory elimination of the hazard or controls that reduce the risk to an acceptable level.',
  'very-high': 'Unacceptable.',
};

// ---- Schema --------------------------------------------------------------------------------------

const text = z.string().trim().min(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD');

const TestRef = z
  .object({
    /** Path from the repository root of a *.test.ts, *.e2e.ts or *.interop.ts file. */
    file: text,
    /** The it/test/describe name exactly as written (an it.each name: its format string, `%s` and all). */
    name: text,
    /** `prefix` only for a name built with a template literal; see docs/safety/README.md. */
    match: z.enum(['exact', 'prefix']).default('exact'),
    /** Why a prefix match is needed (required with `match: prefix`). */
    because: text.optional(),
  })
  .strict();

const Control = z
  .object({
    id: z.string().regex(/^HAZ-\d{3}\.\d+$/, 'must be the hazard id, a dot and a number, e.g. HAZ-001.2'),
    kind: z.enum(['design', 'test', 'training-documentation']),
    description: text,
    tests: z.array(TestRef).default([]),
    /** Files a training/documentation control points at (they must exist). */
    documents: z.array(text).default([]),
  })
  .strict();

const Assessment = z
  .object({
    severity: z.enum(SEVERITIES),
    severityRationale: text,
    likelihood: z.enum(LIKELIHOODS),
    likelihoodRationale: text,
    /** Written out for the reader; the check recomputes it from the matrix. */
    risk: z.enum(RISKS),
  })
  .strict();

const Hazard = z
  .object({
    id: z.string().regex(/^HAZ-\d{3}$/, 'must be HAZ- and three digits'),
    title: text,
    area: text,
    description: text,
    causes: z.array(text).min(1),
    effect: text,
    harm: text,
    initial: Assessment,
    controls: z.array(Control),
    residual: Assessment,
    justification: text.optional(),
    status: z.enum(['open', 'mitigated', 'accepted', 'transferred']),
    openItems: z.array(text).default([]),
  })
  .strict();

const HazardLogSchema = z
  .object({
    system: text,
    logVersion: text,
    lastReviewed: isoDate,
    scope: text,
    intendedUse: text,
    systemDescription: text,
    outOfScope: z.array(text).default([]),
    hazards: z.array(Hazard),
  })
  .strict();

export type TestReference = z.infer<typeof TestRef>;
export type SafetyControl = z.infer<typeof Control>;
export type RiskAssessment = z.infer<typeof Assessment>;
export type SafetyHazard = z.infer<typeof Hazard>;
export type HazardLog = z.infer<typeof HazardLogSchema>;

export type ParsedLog = { ok: true; log: HazardLog } | { ok: false; problems: string[] };

/** Parses the log's YAML and validates its shape; every problem names where it is. */
export function parseHazardLog(yamlText: string): ParsedLog {
  let data: unknown;
  try {
    data = parseYaml(yamlText, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    return { ok: false, problems: [`not valid YAML: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = HazardLogSchema.safeParse(data);
  if (parsed.success) return { ok: true, log: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${describePath(data, i.path)}: ${i.message}`) };
}

/** `hazards[3] (HAZ-004).controls[1]` rather than `hazards.3.controls.1`. */
function describePath(data: unknown, issuePath: readonly PropertyKey[]): string {
  let node: unknown = data;
  const parts: string[] = [];
  for (const key of issuePath) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const id = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      parts.push(`[${key}]${typeof id === 'string' ? ` (${id})` : ''}`);
    } else parts.push(`${parts.length ? '.' : ''}${String(key)}`);
  }
  return parts.join('') || '(log)';
}

// ---- Test names as vitest sees them -------------------------------------------------------------

export type TestName = Readonly<{
  /** The name: a string literal's value, or a template literal as written between its backticks. */
  text: string;
  /** For a template literal with `${…}`: the literal text before the first substitution. */
  head: string | null;
  line: number;
  /** Marked `.skip` or `.todo`: it never runs, so it proves nothing. (`skipIf` is conditional and counts.) */
  isSkipped: boolean;
}>;

const TEST_FUNCTIONS = new Set(['it', 'test', 'describe']);
/** `it.only('name', …)`: the modifier is called with the name itself. */
const DIRECT_MODIFIERS = new Set(['only', 'skip', 'todo', 'concurrent', 'sequential', 'fails', 'shuffle']);
/** `it.each(table)('name', …)`: the modifier returns the function that takes the name. */
const FACTORY_MODIFIERS = new Set(['each', 'for', 'skipIf', 'runIf']);

function testFunction(e: ts.Expression): { isSkipped: boolean } | null {
  if (ts.isIdentifier(e)) return TEST_FUNCTIONS.has(e.text) ? { isSkipped: false } : null;
  if (ts.isPropertyAccessExpression(e) && DIRECT_MODIFIERS.has(e.name.text)) {
    const base = testFunction(e.expression);
    return base && { isSkipped: base.isSkipped || e.name.text === 'skip' || e.name.text === 'todo' };
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && FACTORY_MODIFIERS.has(e.expression.name.text)) {
    return testFunction(e.expression.expression);
  }
  return null;
}

/** Every it/test/describe name in a test file, read from its syntax tree (comments do not count). */
export function testNamesIn(source: string, fileName = 'x.test.ts'): TestName[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, /\.tsx$/.test(fileName) ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const names: TestName[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const fn = testFunction(node.expression);
      const first = node.arguments[0];
      if (fn && first) {
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) names.push({ text: first.text, head: null, line, isSkipped: fn.isSkipped });
        else if (ts.isTemplateExpression(first)) names.push({ text: first.getText(file).slice(1, -1), head: first.head.text, line, isSkipped: fn.isSkipped });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

/** Finds the test a reference names, or says why not. */
export function matchReference(ref: TestReference, names: readonly TestName[]): { found: TestName } | { problem: string } {
  if (ref.match === 'exact') {
    const found = names.find((n) => n.head === null && n.text === ref.name);
    if (found) return { found };
    const template = names.find((n) => n.head !== null && n.text.startsWith(ref.name) && ref.name.trimEnd().length >= n.head.trimEnd().length);
    if (template) return { problem: `has no test named exactly "${ref.name}"; line ${template.line} builds its name with a template literal: use match: prefix` };
    return { problem: `has no it/test/describe named "${ref.name}"${closest(ref.name, names)}` };
  }
  const candidates = names.filter((n) => n.text.startsWith(ref.name));
  const templates = candidates.filter((n) => n.head !== null && ref.name.trimEnd().length >= n.head.trimEnd().length);
  if (templates.length === 0) {
    const uncovered = candidates.find((n) => n.head !== null);
    if (uncovered) return { problem: `"${ref.name}" stops short of the literal text before the first \${…} ("${uncovered.head}", line ${uncovered.line}): cover at least that` };
    if (candidates.some((n) => n.head === null)) return { problem: `"${ref.name}" is a prefix of a plain name: a prefix match is only for template-literal names, use match: exact with the whole name` };
    return { problem: `has no template-literal test name that starts with "${ref.name}" (cover at least the text before the first \${…})${closest(ref.name, names)}` };
  }
  if (candidates.length > 1) return { problem: `the prefix "${ref.name}" matches ${candidates.length} tests (lines ${candidates.map((n) => n.line).join(', ')}): make it longer` };
  return { found: templates[0]! };
}

/** ` (closest: "…", line N)`, or nothing when no name is close. */
function closest(name: string, names: readonly TestName[]): string {
  let best: TestName | null = null;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = editDistance(name, n.text);
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best && bestDistance <= Math.max(3, name.length / 3) ? ` (closest: "${best.text}", line ${best.line})` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

// ---- The traceability check ---------------------------------------------------------------------

/** Where the check reads test files and documents: the repository, or a small in-memory one in tests. */
export type SourceTree = Readonly<{
  /** A file's text by its path from the root, or null when there is none. */
  read: (rel: string) => string | null;
  /** Every test file (paths from the root), to say where a name that moved went. */
  testFiles: () => readonly string[];
}>;

/** *.interop.ts: the interop suite (issue #17), run by .ci/run against HAPI FHIR JPA and the sandbox. */
const TEST_FILE = /\.(test|e2e|interop)\.tsx?$/;
const isSafeRelative = (rel: string): boolean => !path.posix.isAbsolute(rel) && !rel.includes('\\') && !rel.split('/').includes('..');

/**
 * Every rule the log must keep, one message per problem (empty: the log holds):
 * ids unique; each hazard has a control; design and test controls name ≥ 1 test that exists (file
 * and name); documents exist; each risk is the matrix's; residual not above initial; a residual
 * risk of medium or above is justified; an open hazard says what is open.
 */
export function checkHazardLog(log: HazardLog, tree: SourceTree): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const names = new Map<string, TestName[] | null>();
  const namesOf = (rel: string): TestName[] | null => {
    if (!names.has(rel)) {
      const source = tree.read(rel);
      names.set(rel, source === null ? null : testNamesIn(source, rel));
    }
    return names.get(rel) ?? null;
  };
  const unique = (id: string) => {
    if (seen.has(id)) problems.push(`${id}: the id is used more than once`);
    seen.add(id);
  };
  for (const hazard of log.hazards) {
    const at = hazard.id;
    unique(hazard.id);
    if (hazard.controls.length === 0) problems.push(`${at}: has no control`);
    for (const [label, a] of [['initial', hazard.initial], ['residual', hazard.residual]] as const) {
      const expected = riskOf(a.severity, a.likelihood);
      if (a.risk !== expected) problems.push(`${at}: ${label} risk is written ${a.risk} but ${a.severity} × ${a.likelihood} is ${expected} in the DCB0129 matrix`);
    }
    if (scoreOf(hazard.residual.risk) > scoreOf(hazard.initial.risk)) problems.push(`${at}: residual risk ${hazard.residual.risk} is above the initial ${hazard.initial.risk}`);
    if (scoreOf(hazard.residual.risk) >= scoreOf(JUSTIFY_FROM) && !hazard.justification) {
      problems.push(`${at}: residual risk ${hazard.residual.risk} is above low and has no justification`);
    }
    if (hazard.status === 'open' && hazard.openItems.length === 0) problems.push(`${at}: is open but lists no open item`);
    for (const control of hazard.controls) {
      const where = `${at} / ${control.id}`;
      unique(control.id);
      if (!control.id.startsWith(`${hazard.id}.`)) problems.push(`${where}: a control's id starts with its hazard's id`);
      if (control.kind !== 'training-documentation' && control.tests.length === 0) problems.push(`${where}: a ${control.kind} control names no test that proves it`);
      for (const doc of control.documents) {
        const problem = documentProblem(doc, tree);
        if (problem) problems.push(`${where}: document ${doc} ${problem}`);
      }
      for (const ref of control.tests) problems.push(...referenceProblems(where, ref, namesOf, tree));
    }
  }
  return problems;
}

/** GitHub's anchor for a markdown heading: `## Security: sign-in` → `security-sign-in`. */
export const headingAnchor = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');

/** `README.md` must exist; `README.md#clinical-safety` must also have that heading. */
function documentProblem(doc: string, tree: SourceTree): string | null {
  const [file = '', anchor] = doc.split('#');
  const text = isSafeRelative(file) ? tree.read(file) : null;
  if (text === null) return 'does not exist';
  if (anchor === undefined) return null;
  const anchors = text.split('\n').flatMap((line) => (/^#{1,6}\s/.test(line) ? [headingAnchor(line.replace(/^#+/, ''))] : []));
  return anchors.includes(anchor) ? null : `has no heading #${anchor}`;
}

function referenceProblems(where: string, ref: TestReference, namesOf: (rel: string) => TestName[] | null, tree: SourceTree): string[] {
  if (!isSafeRelative(ref.file) || !TEST_FILE.test(ref.file)) return [`${where}: ${ref.file} is not a test file (*.test.ts, *.e2e.ts or *.interop.ts, path from the repository root)`];
  if (ref.match === 'prefix' && !ref.because) return [`${where}: ${ref.file} "${ref.name}": a prefix match must say why (because: …)`];
  const names = namesOf(ref.file);
  if (names === null) return [`${where}: ${ref.file} does not exist${movedTo(ref, namesOf, tree)}`];
  const result = matchReference(ref, names);
  if ('problem' in result) return [`${where}: ${ref.file} ${result.problem}${movedTo(ref, namesOf, tree, ref.file)}`];
  if (result.found.isSkipped) return [`${where}: ${ref.file} line ${result.found.line} "${ref.name}" is marked skip/todo, so it proves nothing`];
  return [];
}

/** ` (now in x.test.ts)` when another test file has the name. */
function movedTo(ref: TestReference, namesOf: (rel: string) => TestName[] | null, tree: SourceTree, except = ''): string {
  const elsewhere = tree.testFiles().filter((rel) => rel !== except && 'found' in matchReference(ref, namesOf(rel) ?? []));
  return elsewhere.length ? ` (the name is now in ${elsewhere.join(', ')})` : '';
}

// ---- The repository ---------------------------------------------------------------------------

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'tmp']);

function* testFilesUnder(root: string, dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) yield* testFilesUnder(root, full);
    } else if (TEST_FILE.test(entry.name)) yield path.relative(root, full).split(path.sep).join('/');
  }
}

/** The repository on disk as a SourceTree. */
export function repositoryTree(root: string): SourceTree {
  let files: string[] | null = null;
  return {
    read: (rel) => {
      if (!isSafeRelative(rel)) return null;
      try {
        return fs.readFileSync(path.join(root, rel), 'utf8');
      } catch {
        return null;
      }
    },
    testFiles: () => (files ??= [...testFilesUnder(root, root)].sort()),
  };
}

/** Reads and validates docs/safety/hazard-log.yaml under root. */
export function loadHazardLog(root: string): ParsedLog & { text: string } {
  const yamlText = fs.readFileSync(path.join(root, HAZARD_LOG_PATH), 'utf8');
  return { ...parseHazardLog(yamlText), text: yamlText };
}
