import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GROUPS, classify, fileProblems, importsOf, sourceFiles, uncheckableLoads, violations } from './layerRules';

// DESIGN §1: imports flow one way. The rules live in scripts/layerRules.ts; this runs them over
// every source file, test code included.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = (file: string, specifiers: readonly string[]) => violations(root, file, specifiers);
const files = [...sourceFiles(root)];

describe('layer rules', () => {
  it('finds a forbidden import (the checker can fail)', () => {
    expect(check('core/x.ts', ['node:fs', '../db/localStore'])).toHaveLength(2);
    expect(check('renderer/src/x.ts', ['better-sqlite3-multiple-ciphers'])).toHaveLength(1);
    expect(check('main/services/x.ts', ['electron'])).toHaveLength(1);
    expect(check('main/electron/x.ts', ['electron'])).toEqual([]);
    expect(check('db/x.ts', ['../main/app'])).toHaveLength(1);
    expect(importsOf("import { a } from './a';\nimport type { B } from \"b\";\nconst c = await import('c');\nimport 'd.css';")).toEqual(['./a', 'b', 'c', 'd.css']);
    // The forms a line-start regex missed: require(), import = require(), imports after code on a line, re-exports.
    expect(
      importsOf("const fs = require('node:fs'); import x = require('../db/x');\nconst y = 1; import { z } from '../main/z'; export * from 'w';"),
    ).toEqual(['node:fs', '../db/x', '../main/z', 'w']);
    expect(check('core/x.ts', importsOf("const a = 1; const db = require('../db/localStore');"))).toHaveLength(1);
    expect(
      uncheckableLoads("import { createRequire } from 'node:module';\nconst r = createRequire(import.meta.url);\nconst m = require(name);\nmodule.require('x');\nawait import(name);"),
    ).toEqual(['createRequire', 'createRequire', 'require(<computed>)', '.require(...)', 'import(<computed>)']);
    expect(uncheckableLoads("// when `require('electron')` runs\nconst a = 'require(x)';")).toEqual([]);
  });

  it('fails each rule of the layer map', () => {
    // The two old exceptions are gone.
    expect(check('core/x.ts', ['../contract/index'])).toHaveLength(1);
    expect(check('sync/x.ts', ['../contract/views'])).toHaveLength(1);
    expect(check('contract/x.ts', ['../core/views', 'zod'])).toEqual([]);
    // sandbox/: only the development entry point, tests and benchmarks.
    expect(check('main/services/x.ts', ['../../sandbox/server'])).toHaveLength(1);
    expect(check('main/app.ts', ['../sandbox/demoCast'])).toHaveLength(1);
    expect(check('main/dev/devApp.ts', ['../../sandbox/server'])).toEqual([]);
    expect(check('main/start.ts', ['../sandbox/server'])).toEqual([]);
    expect(check('sync/x.ts', ['../sandbox/server'])).toHaveLength(1);
    expect(check('sync/x.test.ts', ['../sandbox/server', 'vitest'])).toEqual([]);
    expect(check('bench/x.ts', ['../sandbox/server', '../main/app'])).toEqual([]);
    expect(check('sandbox/x.ts', ['../core/fhirCodes', 'oidc-provider', 'openid-client', 'jose', 'rxjs', '@medplum/fhir-router'])).toEqual([]);
    expect(check('sandbox/x.ts', ['../sync/fhirClient'])).toHaveLength(1);
    expect(check('sandbox/x.ts', ['../db/localStore', '../main/app'])).toHaveLength(2);
    // Nothing imports renderer/ or main/ but themselves and the e2e tests.
    expect(check('renderer/src/x.ts', ['../../main/app'])).toHaveLength(1);
    expect(check('renderer/src/x.test.ts', ['../../main/app'])).toHaveLength(1);
    expect(check('renderer/e2e/x.e2e.ts', ['../../main/app', '../../sandbox/demoCast', 'playwright-core', 'axe-core'])).toEqual([]);
    expect(check('sync/x.test.ts', ['../main/app'])).toHaveLength(1);
    expect(check('main/x.ts', ['../renderer/src/client'])).toHaveLength(1);
    expect(check('bench/x.ts', ['../renderer/src/client'])).toHaveLength(1);
    expect(check('scripts/x.ts', ['../renderer/src/client'])).toHaveLength(1);
    expect(check('scripts/x.ts', ['../main/app', '../sandbox/demoCast', '../renderer/e2e/browser', 'esbuild'])).toEqual([]);
    // Test code: a core test still tests pure code; test packages only in tests.
    expect(check('core/x.test.ts', ['../db/localStore'])).toHaveLength(1);
    expect(check('core/x.test.ts', ['../sync/fhirClient'])).toHaveLength(1);
    expect(check('core/x.test.ts', ['./x', 'vitest', 'node:crypto', '../sandbox/demoCast'])).toEqual([]);
    expect(check('core/x.ts', ['vitest'])).toHaveLength(1);
    expect(check('main/x.test.ts', ['typescript', 'playwright-core'])).toEqual([]);
    expect(check('main/x.test.ts', ['oidc-provider'])).toHaveLength(1);
    // Non-test code must not reach test code (else a `fooTestKit.ts` would launder sandbox/ into main).
    expect(check('main/app.ts', ['./services/testCalls'])).toHaveLength(1);
    expect(check('sync/syncEngine.ts', ['./syncTestKit'])).toHaveLength(1);
    expect(check('main/x.test.ts', ['./services/testCalls'])).toEqual([]);
    // Packages: main gains openid-client; electron only in main/electron/, even for tests and bench.
    expect(check('main/security/x.ts', ['openid-client'])).toEqual([]);
    expect(check('main/security/x.ts', ['oidc-provider'])).toHaveLength(1);
    expect(check('bench/x.ts', ['electron'])).toHaveLength(1);
    expect(check('main/web/x.test.ts', ['electron'])).toHaveLength(1);
    // Outside the repository, and build-tool configs.
    expect(check('core/x.ts', ['../../elsewhere/x'])).toHaveLength(1);
    expect(check('renderer/vite.config.ts', ['node:path', 'vite'])).toEqual([]);
    expect(check('renderer/vite.config.ts', ['react'])).toHaveLength(1);
  });

  it('classifies test code by name', () => {
    for (const rel of ['core/a.test.ts', 'renderer/src/A.test.tsx', 'renderer/e2e/browser.ts', 'db/storage/crashChild.fixture.ts', 'sync/syncTestKit.ts', 'main/services/testCalls.ts', 'bench/run.ts', 'scripts/build.mjs']) {
      expect(classify(rel).isTest, rel).toBe(true);
    }
    for (const rel of ['core/access.ts', 'main/app.ts', 'sandbox/testFhir.ts', 'renderer/vite.config.ts']) expect(classify(rel).isTest, rel).toBe(false);
    // interop/ (issue #17) is test code throughout, like bench/; a folder the rules do not know is in no group.
    expect(classify('interop/pull.interop.ts')).toMatchObject({ group: 'interop', isTest: true });
    expect(check('interop/x.ts', ['../renderer/src/App'])).toHaveLength(1);
    expect(classify('elsewhere/x.ts').group).toBeNull();
  });

  it('every source file is in a folder the rules cover', () => {
    expect(files.filter((rel) => classify(rel).group === null)).toEqual([]);
  });

  it.each(GROUPS)('%s/ imports only what DESIGN §1 allows', (group) => {
    const problems = files.filter((rel) => classify(rel).group === group).flatMap((rel) => fileProblems(root, rel));
    expect(problems).toEqual([]);
  });
});
