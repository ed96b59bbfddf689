import type { BenchPart, Figure } from './figures';

// `npm run bench [-- --json] [-- --only audit,storage]`: every part measures its baseline in the
// same run, so ratios compare like with like on whatever machine runs them.
const PARTS: Record<string, () => Promise<BenchPart>> = {
  audit: async () => {
    const { runAuditBenchmarks } = await import('./audit');
    return { name: 'audit', run: (log) => runAuditBenchmarks({ log }) };
  },
  storage: async () => (await import('./storage')).storageBench,
  sync: async () => (await import('./sync')).syncBench,
  search: async () => (await import('./search')).searchBench,
  link: async () => (await import('./link')).linkBench,
  fleet: async () => (await import('./fleet')).fleetBench,
  start: async () => (await import('./start')).startBench,
  // Issue #17: runs only with a HAPI base URL (--hapi <url> or ONSCENE_BENCH_HAPI_URL), says so otherwise.
  syncHapi: async () => (await import('./syncHapi')).syncHapiBench,
};

function parseArgs(argv: readonly string[]) {
  const isJson = argv.includes('--json');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',').filter(Boolean) : Object.keys(PARTS);
  const unknown = only.filter((name) => !Object.hasOwn(PARTS, name));
  if (unknown.length) throw new Error(`Unknown benchmark part(s): ${unknown.join(', ')}. Parts: ${Object.keys(PARTS).join(', ')}.`);
  return { isJson, only };
}

function printTable(figures: readonly Figure[]) {
  const width = Math.max(...figures.map((f) => f.name.length), 10);
  console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit`);
  for (const f of figures) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(3);
    console.log(`${f.name.padEnd(width)}  ${value.padStart(12)}  ${f.unit}${f.note ? `  (${f.note})` : ''}`);
  }
}

async function main() {
  const { isJson, only } = parseArgs(process.argv.slice(2));
  const log = isJson ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => console.log(line);
  const figures: Figure[] = [];
  for (const name of only) {
    log(`— ${name} —`);
    const part = await (PARTS[name] as () => Promise<BenchPart>)();
    figures.push(...(await part.run(log)));
  }
  if (isJson) console.log(JSON.stringify(figures, null, 2));
  else printTable(figures);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
