import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

export function importsOf(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const match of text.matchAll(pattern)) found.push((match[1] ?? match[2] ?? match[3]) as string);
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
  });

  it.each(LAYERS)('%s/ imports only what DESIGN §1 allows', (layer) => {
    const problems: string[] = [];
    for (const file of sourceFiles(path.join(root, layer))) {
      if (layer === 'renderer' && file.includes(`${path.sep}e2e${path.sep}`)) continue;
      if (layer === 'renderer' && file.endsWith('vite.config.ts')) continue;
      problems.push(...violations(file, layer, importsOf(fs.readFileSync(file, 'utf8'))));
    }
    expect(problems).toEqual([]);
  });
});
