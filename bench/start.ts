import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { RENDERER_DIR } from '../main/app';
import { enrolDemoUsers } from '../main/services/testCalls';
import { chromium } from 'playwright-core';
import { type BenchPart, type Figure, median } from './figures';
import { startSandboxProcess } from './syncSandboxProcess';

/**
 * Issue #18 §2, startup: `start.cold_to_signin.ms`, from spawning the web shell's process to the
 * sign-in screen (its h1) visible in headless Chromium, on a data folder that already holds 10k
 * cached patients (a vehicle laptop at the start of a shift); and `start.rss_10k.mb`, that
 * process's resident memory once a user is signed in on that store. The shell runs as shipped
 * code runs, bundled by esbuild (packages external, like dist/main/electron), not through tsx.
 * Each cold start is a new process and a new browser context (no HTTP cache); the OS file cache is
 * warm after the first, so the median of 3 is a warm-disk cold start.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATIENTS = Number(process.env.ONSCENE_BENCH_START_PATIENTS ?? 10_000);
const STARTS = 3;
/** Debian's Chromium, started as the e2e tests start it (renderer/e2e/browser.ts; bench/ may not import renderer/). */
const CHROMIUM = process.env.ONSCENE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

type Child = Readonly<{ process: ChildProcess; url: Promise<string>; ask(command: string, answer: string): Promise<string> }>;

function spawnShell(bundle: string, dataDir: string, baseUrl: string, token: string): Child {
  const child = spawn(process.execPath, ['--experimental-websocket', '--expose-gc', bundle, dataDir, baseUrl, token], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ONSCENE_BENCH_RENDERER_DIR: RENDERER_DIR },
  });
  let out = '';
  const waiters: { prefix: string; resolve: (rest: string) => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      const i = waiters.findIndex((w) => line.startsWith(`${w.prefix} `));
      const waiter = i >= 0 ? waiters.splice(i, 1)[0] : undefined;
      waiter?.resolve(line.slice(waiter.prefix.length + 1));
    }
  });
  const next = (prefix: string) => new Promise<string>((resolve, reject) => {
    waiters.push({ prefix, resolve });
    child.once('exit', (code) => reject(new Error(`bench: the web shell exited (${code}) before ${prefix}`)));
  });
  return {
    process: child,
    url: next('URL'),
    ask(command, answer) {
      const reply = next(answer);
      child.stdin?.write(`${command}\n`);
      return reply;
    },
  };
}

async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  await new Promise<void>((done) => {
    child.process.once('exit', () => done());
    child.process.stdin?.write('quit\n');
    setTimeout(() => child.process.kill('SIGKILL'), 10_000).unref();
  });
}

export const startBench: BenchPart = {
  name: 'start',
  async run(log) {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('bench: dist/renderer is missing; run `npm run build` first');
    const bundle = path.join(ROOT, 'dist', 'bench', 'startChild.mjs');
    await build({ entryPoints: [path.join(ROOT, 'bench', 'startChild.ts')], outfile: bundle, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' });
    const sandbox = await startSandboxProcess(PATIENTS);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-start-'));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      await enrolDemoUsers(dataDir);
      // Fill the store once: sign in, sync the whole region.
      const filler = spawnShell(bundle, dataDir, sandbox.baseUrl, sandbox.serviceToken);
      await filler.url;
      if ((await filler.ask('signin', 'SIGNEDIN')) !== 'true') throw new Error('bench: sign-in failed');
      const t0 = performance.now();
      if ((await filler.ask('sync', 'SYNCED')) !== 'true') throw new Error('bench: the initial sync failed');
      const cached = Number(await filler.ask('count', 'COUNT'));
      if (cached < PATIENTS) throw new Error(`bench: only ${cached} of ${PATIENTS} patients are cached after the sync`);
      const afterSyncMb = Number((await filler.ask('rss', 'RSS')).split(' ')[0]) / 2 ** 20;
      log(`start: ${cached} patients cached (${PATIENTS} in the region) in ${((performance.now() - t0) / 1000).toFixed(0)} s; RSS right after the sync ${afterSyncMb.toFixed(0)} MB`);
      await stop(filler);
      const colds: number[] = [];
      const listens: number[] = [];
      let rssMb = Number.NaN;
      let signedInCount = -1;
      let heapMb = Number.NaN;
      let externalMb = Number.NaN;
      for (let i = 0; i < STARTS; i++) {
        const started = performance.now();
        const child = spawnShell(bundle, dataDir, sandbox.baseUrl, sandbox.serviceToken);
        try {
          const url = await child.url;
          listens.push(performance.now() - started);
          const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
          const page = await context.newPage();
          await page.goto(url);
          await page.getByRole('heading', { level: 1, name: 'Sign in to OnScene' }).waitFor({ state: 'visible', timeout: 30_000 });
          colds.push(performance.now() - started);
          await context.close();
          if (i === STARTS - 1) {
            if ((await child.ask('signin', 'SIGNEDIN')) !== 'true') throw new Error('bench: sign-in failed');
            signedInCount = Number(await child.ask('count', 'COUNT'));
            const [rss, heap, external] = (await child.ask('rss', 'RSS')).split(' ').map((v) => Number(v) / 2 ** 20);
            rssMb = rss ?? Number.NaN;
            heapMb = heap ?? Number.NaN;
            externalMb = external ?? Number.NaN;
          }
        } finally {
          await stop(child);
        }
      }
      log(`start: cold to sign-in ${colds.map((c) => c.toFixed(0)).join(', ')} ms (listening after ${listens.map((c) => c.toFixed(0)).join(', ')} ms); RSS signed in ${rssMb.toFixed(0)} MB (V8 heap ${heapMb.toFixed(0)}, external ${externalMb.toFixed(0)})`);
      const figures: Figure[] = [
        { name: 'start.cold_to_signin.ms', value: Math.round(median(colds)), unit: 'ms', note: `median of ${STARTS}: new web-shell process (bundled as shipped) on a store with ${PATIENTS} cached patients, to "Sign in to OnScene" visible in headless Chromium (fresh browser context; browser already running); runs ${colds.map(Math.round).join('/')}; target <= 1500` },
        { name: 'start.listening.ms', value: Math.round(median(listens)), unit: 'ms', note: 'the same starts: process spawn to the web shell listening (the rest is the page loading in Chromium)' },
        { name: 'start.rss_10k.mb', value: Math.round(rssMb), unit: 'MiB', note: `main-process RSS after sign-in on the store with ${signedInCount} cached patients (fresh process, after gc; V8 heap used ${heapMb.toFixed(0)} MiB, external ${externalMb.toFixed(0)} MiB, the rest native: code, SQLite page caches, allocator); target <= 250` },
        { name: 'start.rss_after_sync_10k.mb', value: Math.round(afterSyncMb), unit: 'MiB', note: `reference: RSS of the process that has just synced all ${cached} patients (after gc)` },
      ];
      return figures;
    } finally {
      await browser.close();
      await sandbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
