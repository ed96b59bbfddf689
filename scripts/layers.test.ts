import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// DESIGN §1: imports flow one way. This test is the machine check; per-folder tsconfigs
// (core/ and renderer/ without Node types) are the other half.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['core', 'contract', 'db', 'sync', 'main', 'renderer'] as const;
type Layer = (typeof LAYERS)[number];

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: ['core', 'contract'],
  contract: ['contract', 'core'],
  db: ['db', 'core'],
  sync: ['sync', 'db', 'core', 'contract'],
  main: ['main', 'contract', 'sync', 'db', 'core'],
  renderer: ['renderer', 'contract', 'core'],
};

/** Packages a layer's non-test code may import (beyond relative imports). */
const PACKAGES: Record<Layer, RegExp> = {
  core: /^(zod|@medplum\/fhirtypes)$/,
  contract: /^zod$/,
  db: /^(node:.+|rxdb(\/.*)?|rxjs|better-sqlite3-multiple-ciphers|zod|@medplum\/fhirtypes)$/,
  sync: /^(node:.+|zod|rxdb(\/.*)?|rxjs|@medplum\/.+)$/,
  main: /^(node:.+|zod|electron|hash-wasm|@medplum\/fhirtypes)$/,
  renderer: /^(react(\/.*)?|react-dom(\/.*)?|nhsuk-frontend(\/.*)?|zod)$/,
};

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.(test|e2e)\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
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
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
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

export function violations(file: string, layer: Layer, specifiers: readonly string[]): string[] {
  const problems: string[] = [];
  for (const spec of specifiers) {
    if (spec.startsWith('.')) {
      const target = path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep)[0] as Layer;
      if (!MAY_IMPORT[layer].includes(target)) problems.push(`${path.relative(root, file)} imports ${spec} (${layer} → ${target})`);
    } else if (!PACKAGES[layer].test(spec)) {
      problems.push(`${path.relative(root, file)} imports package ${spec}`);
    }
    if (spec === 'electron' && !path.relative(root, file).startsWith(path.join('main', 'electron'))) {
      problems.push(`${path.relative(root, file)} imports electron outside main/electron/`);
    }
  }
  return problems;
}

describe('layer rules', () => {
  it('finds a forbidden import (the checker can fail)', () => {
    expect(violations(path.join(root, 'core/x.ts'), 'core', ['node:fs', '../db/localStore'])).toHaveLength(2);
    expect(violations(path.join(root, 'renderer/src/x.ts'), 'renderer', ['better-sqlite3-multiple-ciphers'])).toHaveLength(1);
    expect(violations(path.join(root, 'main/services/x.ts'), 'main', ['electron'])).toHaveLength(1);
    expect(violations(path.join(root, 'db/x.ts'), 'db', ['../main/app'])).toHaveLength(1);
    expect(importsOf("import { a } from './a';\nimport type { B } from \"b\";\nconst c = await import('c');\nimport 'd.css';")).toEqual(['./a', 'b', 'c', 'd.css']);
    // The forms a line-start regex missed: require(), import = require(), imports after code on a line, re-exports.
    expect(
      importsOf("const fs = require('node:fs'); import x = require('../db/x');\nconst y = 1; import { z } from '../main/z'; export * from 'w';"),
    ).toEqual(['node:fs', '../db/x', '../main/z', 'w']);
    expect(violations(path.join(root, 'core/x.ts'), 'core', importsOf("const a = 1; const db = require('../db/localStore');"))).toHaveLength(1);
    expect(
      uncheckableLoads("import { createRequire } from 'node:module';\nconst r = createRequire(import.meta.url);\nconst m = require(name);\nmodule.require('x');\nawait import(name);"),
    ).toEqual(['createRequire', 'createRequire', 'require(<computed>)', '.require(...)', 'import(<computed>)']);
    expect(uncheckableLoads("// when `require('electron')` runs\nconst a = 'require(x)';")).toEqual([]);
  });

  it.each(LAYERS)('%s/ imports only what DESIGN §1 allows', (layer) => {
    const problems: string[] = [];
    for (const file of sourceFiles(path.join(root, layer))) {
      if (layer === 'renderer' && file.includes(`${path.sep}e2e${path.sep}`)) continue;
      if (layer === 'renderer' && file.endsWith('vite.config.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      problems.push(...violations(file, layer, importsOf(text)));
      for (const load of uncheckableLoads(text, file)) problems.push(`${path.relative(root, file)} loads a module the layer check cannot see: ${load}`);
    }
    expect(problems).toEqual([]);
  });
});
