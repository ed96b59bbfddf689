import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../sandbox/demoCast';
import { ELECTRON_MAIN_OUT, ELECTRON_PRELOAD_OUT } from './esbuildOptions.mjs';

// Issue #16: the file `npm run build` wrote and electron-builder packs (package.json `main`),
// grepped as built: no sandbox, no demo users, no test code. electronBundle.test.ts checks a fresh
// bundle by its module graph; this checks the shipped bytes themselves.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Built = Readonly<{ name: string; text: string; modules: string[]; sources: string[] }>;

function readBuilt(rel: string): Built {
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) throw new Error(`${rel} is missing: npm test builds first; alone, run npm run build`);
  const text = fs.readFileSync(file, 'utf8');
  const map = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
  // esbuild heads each bundled module with a `// path/from/root.ts` comment.
  const modules = [...text.matchAll(/^\/\/ ([\w./-]+\.[cm]?[jt]sx?)$/gm)].map((m) => m[1]!);
  const sources = map.sources.map((s) => path.relative(root, path.resolve(path.dirname(file), s)).split(path.sep).join('/'));
  return { name: rel, text, modules, sources };
}

/** Everything in a built file that says sandbox, demo or test code would ship. */
function shippedProblems(b: Built): string[] {
  const problems: string[] = [];
  const isTestCode = (m: string) => /^(sandbox|bench|scripts|interop)\//.test(m) || /\.(test|e2e|fixture)\.[cm]?[jt]sx?$|TestKit\.|\/testCalls\.|\/dev\//.test(m);
  for (const m of new Set([...b.modules, ...b.sources])) if (isTestCode(m)) problems.push(`bundles ${m}`);
  for (const pkg of ['vitest', 'fast-check', 'playwright-core', 'oidc-provider', '@medplum/fhir-router']) {
    if (new RegExp(`from ["']${pkg.replace('/', '\\/')}["']|require\\(["']${pkg.replace('/', '\\/')}["']\\)`).test(b.text)) problems.push(`imports ${pkg}`);
  }
  for (const u of DEMO_USERS) {
    const secrets: string[] = [u.userId, ...('password' in u && typeof u.password === 'string' ? [u.password] : [])];
    for (const secret of secrets) if (b.text.includes(secret)) problems.push(`contains ${secret}`);
  }
  if (/\bdemo-(paramedic|call-handler|clinician|admin)\b/.test(b.text)) problems.push('names a demo user');
  return problems;
}

describe('the built Electron bundles, as shipped', () => {
  it.each([ELECTRON_MAIN_OUT, ELECTRON_PRELOAD_OUT])('%s holds no sandbox, demo user or test code', (rel) => {
    const built = readBuilt(rel);
    expect(built.modules.length).toBeGreaterThan(0);
    expect(shippedProblems(built)).toEqual([]);
  });
  it('the main bundle is the shell: it starts from main/electron/main.ts and serves through main/compose.ts', () => {
    const built = readBuilt(ELECTRON_MAIN_OUT);
    expect(built.modules).toEqual(expect.arrayContaining(['main/electron/main.ts', 'main/compose.ts', 'main/electron/protocolPath.ts']));
  });
  it('the check can fail: a bundle with sandbox modules, test helpers and demo credentials is flagged', () => {
    const medic = DEMO_USERS[0]!;
    const leaky: Built = {
      name: 'leaky',
      text: `// sandbox/demoCast.ts\nconst u = "${medic.userId}";\nimport { it } from "vitest";\n`,
      modules: ['sandbox/demoCast.ts', 'main/services/testCalls.ts', 'main/dev/demo.ts', 'main/compose.test.ts'],
      sources: [],
    };
    expect(shippedProblems(leaky)).toEqual(
      expect.arrayContaining(['bundles sandbox/demoCast.ts', 'bundles main/services/testCalls.ts', 'bundles main/dev/demo.ts', 'bundles main/compose.test.ts', 'imports vitest', `contains ${medic.userId}`]),
    );
  });
});
