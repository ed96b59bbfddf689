import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, type Metafile, build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../sandbox/demoCast';
import { electronMainOptions, electronPreloadOptions } from './esbuildOptions.mjs';

// DESIGN §1: sandbox/ (the stand-in central record, its identity provider and the demo users) is
// never shipped. The layer check (layers.test.ts) proves it by imports; this proves it on what
// scripts/build.mjs actually bundles, with the same esbuild options, built afresh into a temp dir.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Bundle = Readonly<{ text: string; mapSources: string; metafile: Metafile }>;

/** Packages the shipped main process must not load: the sandbox's FHIR server and identity provider. */
const FORBIDDEN_PACKAGES: readonly RegExp[] = [/^@medplum\/fhir-router(\/|$)/, /^oidc-provider(\/|$)/];

async function bundle(options: BuildOptions): Promise<Bundle> {
  const outfile = options.outfile!;
  const result = await build({ ...options, absWorkingDir: root, metafile: true, write: true });
  const map = JSON.parse(fs.readFileSync(`${outfile}.map`, 'utf8')) as { sourcesContent?: (string | null)[] };
  return { text: fs.readFileSync(outfile, 'utf8'), mapSources: (map.sourcesContent ?? []).join('\n'), metafile: result.metafile };
}

/** A metafile path (relative to absWorkingDir, the root) as a '/'-separated path from the root. */
const fromRoot = (p: string): string => path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole-token match, so a PIN such as 1111 is not found inside 11110 or a base64 run. */
const occurs = (text: string, secret: string): boolean => new RegExp(`(?<![0-9A-Za-z])${escape(secret)}(?![0-9A-Za-z])`).test(text);

/** Each demo user's id, PIN and (where the cast has one) identity-provider password. */
function demoSecrets(): { label: string; value: string }[] {
  return DEMO_USERS.flatMap((u) => {
    const secrets = [
      { label: `user id of ${u.userId}`, value: u.userId },
      { label: `PIN of ${u.userId}`, value: u.pin },
    ];
    if ('password' in u && typeof u.password === 'string') secrets.push({ label: `password of ${u.userId}`, value: u.password });
    return secrets;
  });
}

/** Everything that says sandbox code or demo credentials would ship in this bundle. */
function bundleProblems(b: Bundle): string[] {
  const problems: string[] = [];
  const externals = Object.values(b.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  for (const spec of new Set(externals)) if (FORBIDDEN_PACKAGES.some((p) => p.test(spec))) problems.push(`imports ${spec}`);
  // Medplum's in-memory store (exported by @medplum/fhir-router, formerly @medplum/core), however imported.
  if (/\bMemoryRepository\b/.test(b.text)) problems.push('uses MemoryRepository');
  const inSandbox = (input: string) => fromRoot(input).startsWith('sandbox/');
  const sandboxInputs = Object.keys(b.metafile.inputs).filter(inSandbox);
  if (sandboxInputs.length > 0) {
    // Name the doors: the bundled modules outside sandbox/ that import into it.
    const doors = Object.entries(b.metafile.inputs).flatMap(([input, { imports }]) =>
      inSandbox(input) ? [] : imports.filter((i) => !i.external && inSandbox(i.path)).map((i) => `${fromRoot(input)} → ${fromRoot(i.path)}`),
    );
    problems.push(`bundles ${sandboxInputs.length} sandbox/ modules (${sandboxInputs.map(fromRoot).join(', ')}) through ${doors.join('; ')}`);
  }
  for (const { label, value } of demoSecrets()) {
    if (occurs(b.text, value)) problems.push(`bundle contains the demo ${label}`);
    if (occurs(b.mapSources, value)) problems.push(`source map contains the demo ${label}`);
  }
  return problems;
}

let outDir = '';
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bundle-'));
});
afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe('Electron bundles ship no sandbox and no demo credentials', () => {
  it('the check can fail: a bundle that pulls in sandbox/ is flagged on every count', async () => {
    const entry = path.join(outDir, 'leaky.ts');
    fs.writeFileSync(
      entry,
      [
        `export { DEMO_USERS } from ${JSON.stringify(path.join(root, 'sandbox/demoCast.ts'))};`,
        `export { startSandbox } from ${JSON.stringify(path.join(root, 'sandbox/server.ts'))};`,
        "export { default as Provider } from 'oidc-provider';",
      ].join('\n'),
    );
    const leaky = await bundle({ ...electronMainOptions(root, path.join(outDir, 'leaky.mjs')), entryPoints: [entry], logLevel: 'silent' });
    const problems = bundleProblems(leaky);
    expect(problems).toEqual(
      expect.arrayContaining([
        'imports @medplum/fhir-router',
        'imports oidc-provider',
        'uses MemoryRepository',
        expect.stringMatching(/^bundles \d+ sandbox\/ modules \(.*sandbox\/demoCast\.ts.*\) through .*leaky\.ts → sandbox\/server\.ts/),
        ...demoSecrets().map((s) => `bundle contains the demo ${s.label}`),
        ...demoSecrets().map((s) => `source map contains the demo ${s.label}`),
      ]),
    );
  });

  it('dist/main/electron/main.mjs (main/electron/main.ts)', async () => {
    const main = await bundle(electronMainOptions(root, path.join(outDir, 'main.mjs')));
    expect(Object.keys(main.metafile.inputs)).toContain('main/electron/main.ts');
    expect(bundleProblems(main)).toEqual([]);
  });

  it('dist/main/electron/preload.cjs (main/electron/preload.ts)', async () => {
    const preload = await bundle(electronPreloadOptions(root, path.join(outDir, 'preload.cjs')));
    expect(bundleProblems(preload)).toEqual([]);
  });
});
