import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * DESIGN §1 as data: which folders and packages each file may import. scripts/layers.test.ts runs
 * it over every source file of the repository; per-folder tsconfigs (core/ and renderer/ without
 * Node types) are the other half of the machine check.
 */
export const LAYERS = ['core', 'contract', 'db', 'sync', 'main', 'renderer', 'sandbox'] as const;
export type Layer = (typeof LAYERS)[number];
/** Layers, plus the folders that are test code throughout (bench/, scripts/, interop/: issue #17), the build-tool configs and build/ (electron-builder's hooks, issue #16). */
export type Group = Layer | 'bench' | 'scripts' | 'interop' | 'config' | 'build';
export const GROUPS: readonly Group[] = [...LAYERS, 'bench', 'scripts', 'interop', 'config', 'build'];

/** Folders a layer's non-test code may import. Nothing but main/ and renderer/ themselves imports them. */
const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
  core: ['core'],
  contract: ['contract', 'core'],
  db: ['db', 'core'],
  sync: ['sync', 'db', 'core'],
  main: ['main', 'contract', 'sync', 'db', 'core'],
  renderer: ['renderer', 'contract', 'core'],
  sandbox: ['sandbox', 'core'],
};

/** Packages a layer's non-test code may import (beyond relative imports). */
const PACKAGES: Readonly<Record<Layer, RegExp>> = {
  core: /^(zod|@medplum\/fhirtypes)$/,
  contract: /^zod$/,
  db: /^(node:.+|rxdb(\/.*)?|rxjs|better-sqlite3-multiple-ciphers|zod|@medplum\/fhirtypes|double-metaphone)$/,
  sync: /^(node:.+|zod|rxdb(\/.*)?|rxjs|@medplum\/.+)$/,
  main: /^(node:.+|zod|electron|hash-wasm|openid-client|@medplum\/fhirtypes|yaml)$/,
  renderer: /^(react(\/.*)?|react-dom(\/.*)?|nhsuk-frontend(\/.*)?|zod)$/,
  sandbox: /^(node:.+|zod|@medplum\/.+|oidc-provider|openid-client|jose|rxjs|stream-throttle)$/,
};

/** Packages any test file may import on top of its layer's. */
/** Tests may also build the renderer (vite), name FHIR types, and read the SQLite file directly as an attacker or a failing disk would. */
const TEST_PACKAGES = /^(node:.+|vitest(\/.*)?|playwright-core|axe-core|typescript|vite|@medplum\/fhirtypes|better-sqlite3-multiple-ciphers|fast-check)$/;
/** Build-tool configs (vitest.config.ts, renderer/vite.config.ts): the tool and Node, no project code. */
const CONFIG_PACKAGES = /^(node:.+|vite|vitest\/config)$/;
/** build/: packaging hooks electron-builder runs; Node and the fuse tool only, no project code. */
const BUILD_PACKAGES = /^(node:.+|@electron\/fuses)$/;
/** Electron and the packages that load it (electron-updater) run only in the Electron shell. */
const ELECTRON = /^electron(-updater)?(\/.*)?$/;

const CODE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION_FILE = /\.d\.[mc]?ts$/;
/** Not source: dependencies, build output, git-ignored scratch folders, dot-folders (.git, .ci). */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'tmp']);

export type FileKind = Readonly<{
  /** Path from the repository root with '/' separators. */
  rel: string;
  /** null: the file is in no folder the rules know, which is itself a violation. */
  group: Group | null;
  isTest: boolean;
  /** The development entry point, the one non-test code allowed to import sandbox/. */
  isDevEntry: boolean;
  isE2e: boolean;
}>;

const toPosix = (p: string): string => p.split(path.sep).join('/');
const withoutExtension = (rel: string): string => rel.replace(CODE_FILE, '');

/**
 * Test code by name: `*.test.ts(x)`, renderer/e2e/**, `*.fixture.ts`, `*TestKit.ts`, `testCalls.ts`,
 * and everything under bench/ and scripts/. Works on import targets written without an extension.
 */
export function isTestPath(rel: string): boolean {
  const stem = withoutExtension(rel);
  const base = stem.slice(stem.lastIndexOf('/') + 1);
  return (
    /^(bench|scripts|interop)(\/|$)/.test(rel) ||
    rel.startsWith('renderer/e2e/') ||
    /\.(test|e2e|fixture)$/.test(base) ||
    base.endsWith('TestKit') ||
    base === 'testCalls'
  );
}

/** Classifies a file by its path from the repository root (either separator). */
export function classify(relPath: string): FileKind {
  const rel = toPosix(relPath);
  const first = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '';
  const isConfig = rel === 'renderer/vite.config.ts' || rel === 'interop/vitest.config.ts' || /^[^/]+\.config\.[mc]?[jt]s$/.test(rel);
  const known = (GROUPS as readonly string[]).includes(first) ? (first as Group) : null;
  return {
    rel,
    group: isConfig ? 'config' : known,
    isTest: !isConfig && isTestPath(rel),
    isDevEntry: rel === 'main/start.ts' || rel.startsWith('main/dev/'),
    isE2e: rel.startsWith('renderer/e2e/'),
  };
}

/** Folders (first path segment) a file may import from. */
function allowedFolders(kind: FileKind, layer: Layer): readonly string[] {
  const allowed: string[] = [...MAY_IMPORT[layer]];
  // Only the development entry point, tests and benchmarks import sandbox/ (DESIGN §1).
  if (kind.isTest || kind.isDevEntry) allowed.push('sandbox');
  // Integration tests under main/ and the e2e tests that drive the app use main/ itself.
  if (kind.isTest && (layer === 'main' || kind.isE2e)) allowed.push('main');
  return allowed;
}

function folderProblem(kind: FileKind, target: string): string | null {
  if (target === '..' || target.startsWith('../') || path.isAbsolute(target)) return 'a file outside the repository';
  const folder = target.split('/')[0] ?? '';
  if (kind.group === null) return null; // reported once, as "in no layer"
  if (kind.group === 'config') return 'project code from a build-tool config';
  if (kind.group === 'build') return folder === 'build' ? null : 'project code from a packaging hook (build/ may import only build/)';
  if (kind.group === 'bench' || kind.group === 'interop') return folder === 'renderer' ? `renderer/ (${kind.group}/ may import everything except renderer/)` : null;
  if (kind.group === 'scripts') return target === 'renderer/src' || target.startsWith('renderer/src/') ? 'renderer/src/ (scripts/ may read it by path, not import it)' : null;
  const allowed = allowedFolders(kind, kind.group);
  if (!allowed.includes(folder)) return `${folder || target}/ (${kind.group}${kind.isTest ? ' test' : ''} → ${folder || target}; allowed: ${allowed.join(', ')})`;
  if (!kind.isTest && isTestPath(target)) return 'test code from non-test code';
  return null;
}

function packageAllowed(kind: FileKind, spec: string): boolean {
  if (kind.group === null) return true; // reported once, as "in no layer"
  if (kind.group === 'bench' || kind.group === 'scripts' || kind.group === 'interop') return true;
  if (kind.group === 'config') return CONFIG_PACKAGES.test(spec);
  if (kind.group === 'build') return BUILD_PACKAGES.test(spec);
  return PACKAGES[kind.group].test(spec) || (kind.isTest && TEST_PACKAGES.test(spec));
}

/** The import problems of one file (`file` absolute or from the repository root), one message each. */
export function violations(root: string, file: string, specifiers: readonly string[]): string[] {
  const kind = classify(path.isAbsolute(file) ? path.relative(root, file) : file);
  const problems: string[] = [];
  for (const spec of specifiers) {
    if (spec.startsWith('.')) {
      const target = toPosix(path.relative(root, path.resolve(root, path.dirname(kind.rel), spec)));
      const problem = folderProblem(kind, target);
      if (problem) problems.push(`${kind.rel} imports ${spec}: ${problem}`);
    } else if (ELECTRON.test(spec)) {
      // Only main/electron/ may import 'electron' (DESIGN §1), whatever else the layer allows.
      if (!kind.rel.startsWith('main/electron/')) problems.push(`${kind.rel} imports ${spec} outside main/electron/`);
    } else if (!packageAllowed(kind, spec)) {
      problems.push(`${kind.rel} imports package ${spec}${kind.isTest ? ' (test file)' : ''}`);
    }
  }
  return problems;
}

/**
 * Every module a file names, as TypeScript's own pre-processor reads it: import/export ... from,
 * side-effect imports, import(), `import x = require()`, require() calls, wherever they sit on a line.
 */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Loads the import list cannot check, found in the syntax tree (so comments that mention require
 * do not count): createRequire, require/import() of a computed name, and x.require(...).
 */
export function uncheckableLoads(text: string, fileName = 'x.ts'): string[] {
  const kind = /\.[jt]sx$/.test(fileName) ? ts.ScriptKind.TSX : /\.[mc]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const isLiteralCall = (call: ts.CallExpression) => call.arguments.length === 1 && ts.isStringLiteralLike(call.arguments[0]!);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === 'createRequire') found.push('createRequire');
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee) && callee.text === 'require' && !isLiteralCall(node)) found.push('require(<computed>)');
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'require') found.push('.require(...)');
      if (callee.kind === ts.SyntaxKind.ImportKeyword && !isLiteralCall(node)) found.push('import(<computed>)');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every source file of the repository (paths from the root), declarations excluded. */
export function* sourceFiles(root: string, dir = root): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) yield* sourceFiles(root, full);
    } else if (CODE_FILE.test(entry.name) && !DECLARATION_FILE.test(entry.name)) {
      yield toPosix(path.relative(root, full));
    }
  }
}

/** All problems of one file on disk: forbidden imports and loads the check cannot see. */
export function fileProblems(root: string, rel: string): string[] {
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  const problems = violations(root, rel, importsOf(text));
  for (const load of uncheckableLoads(text, rel)) problems.push(`${rel} loads a module the layer check cannot see: ${load}`);
  return problems;
}
