import readline from 'node:readline';
import { startWebApp } from '../main/app';
import { configFor } from '../main/config';
import { LONDON_DISTRICTS } from '../sandbox/synthLists';

/**
 * The web shell as its own process, for bench/start.ts: `startChild <dataDir> <centralUrl> <token>`.
 * Prints `URL <url>` once it listens, then answers stdin commands one line each:
 * `signin` (demo paramedic, PIN), `sync` (one sync run), `count` (cached patients), `rss` (this process's RSS, V8 heap used and external memory, in bytes).
 */
const [dataDir, centralUrl, token] = process.argv.slice(2);
if (!dataDir || !centralUrl || !token) throw new Error('usage: startChild <dataDir> <centralUrl> <token>');

const config = configFor({
  dataDir,
  port: 0,
  centralUrl,
  centralToken: token,
  identity: null,
  // No scheduled pulls: the bench decides when to sync.
  syncIntervalMs: 3_600_000,
  area: { districts: LONDON_DISTRICTS, requireActiveCarePlan: false },
});
// Bundled to dist/bench/ by bench/start.ts, where main/app.ts's own guess of the renderer folder is wrong.
const rendererDir = process.env.ONSCENE_BENCH_RENDERER_DIR;
const web = await startWebApp({ config: { ...config, centralUrl }, keyProtector: null, ...(rendererDir ? { rendererDir } : {}) });
process.stdout.write(`URL ${web.url}\n`);

let sessionToken = '';
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  void (async () => {
    if (line === 'signin') {
      const result = (await web.app.dispatch({ method: 'session.signIn', params: { userId: 'demo-paramedic-1', pin: '111111' } })) as { ok: boolean; value?: { sessionToken: string } };
      sessionToken = result.value?.sessionToken ?? '';
      process.stdout.write(`SIGNEDIN ${result.ok}\n`);
    } else if (line === 'sync') {
      const result = (await web.app.dispatch({ method: 'sync.run', params: {}, sessionToken })) as { ok: boolean };
      process.stdout.write(`SYNCED ${result.ok}\n`);
    } else if (line === 'count') {
      process.stdout.write(`COUNT ${web.app.services.store.current()?.patients.count() ?? -1}\n`);
    } else if (line === 'rss') {
      globalThis.gc?.();
      const m = process.memoryUsage();
      process.stdout.write(`RSS ${m.rss} ${m.heapUsed} ${m.external}\n`);
    } else if (line === 'quit') {
      await web.close();
      process.exit(0);
    }
  })();
});
