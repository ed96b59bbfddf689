import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { type KdfSpec, deriveKey } from './kdf';

/**
 * Measures argon2id on this machine to choose kdf.ts's ARGON2ID (issue #10 item 6):
 *
 *   node --import tsx main/security/measureKdf.ts [--runs 5] [--budget-ms 700] [--memory 64,128] [--iterations 1,2]
 *     [--reference] [--ceiling]
 *
 * Times each (memory, passes) setting with one lane, median of `--runs` derivations after a
 * warm-up, and names the strongest setting whose median is within the budget. `--reference` also
 * times the reference C implementation (`argon2` CLI, Debian package argon2) at the chosen setting:
 * what an attacker's guess costs on one core of this machine, native code instead of WebAssembly.
 * `--ceiling` probes how much memory hash-wasm's WebAssembly module can take.
 * Each run records wall time and this process's CPU time. On a quiet machine they agree; on a
 * shared one (other people's test runs) wall time includes their work, so the budget is judged on
 * CPU time (what a sign-in costs this process), and the headroom to 1 s is for a loaded laptop.
 * Figures go to the output and the README, never into test assertions: they depend on the machine
 * and on what else runs on it (the load average is printed with them).
 */

export type Argon2Setting = Readonly<{ memoryMiB: number; iterations: number }>;
export type Measurement = Argon2Setting & Readonly<{ wallMs: readonly number[]; medianWallMs: number; medianCpuMs: number }>;

export const specFor = (s: Argon2Setting): KdfSpec => ({ alg: 'argon2id', memoryKiB: s.memoryMiB * 1024, iterations: s.iterations, parallelism: 1 });

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The strongest setting within the budget. Against an attacker on the same kind of CPU a guess
 * costs what it costs us (the time); against GPUs and ASICs, memory × time (RFC 9106 §4, §7.2). At
 * a fixed time, more memory wins: so the most memory that fits, then the most passes at that memory.
 * Settings below `minIterations` passes are not chosen (fewer passes leave argon2id's
 * data-independent first half more open to time-memory trade-offs).
 */
export function pickStrongest(rows: readonly Measurement[], budgetMs: number, minIterations = 1): Measurement | null {
  const fits = rows.filter((r) => r.medianCpuMs <= budgetMs && r.iterations >= minIterations);
  return fits.reduce<Measurement | null>(
    (best, r) => (!best || r.memoryMiB > best.memoryMiB || (r.memoryMiB === best.memoryMiB && r.iterations > best.iterations) ? r : best),
    null,
  );
}

async function timeOnce(spec: KdfSpec): Promise<{ wallMs: number; cpuMs: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await deriveKey('123456', randomBytes(16), spec);
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

export async function measure(setting: Argon2Setting, runs: number): Promise<Measurement> {
  const times: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await timeOnce(specFor(setting)));
  const wallMs = times.map((t) => t.wallMs);
  return { ...setting, wallMs, medianWallMs: median(wallMs), medianCpuMs: median(times.map((t) => t.cpuMs)) };
}

/** Largest memory (MiB, one pass) hash-wasm derives with, and the first size that fails and how. */
export async function probeMemoryCeiling(sizesMiB: readonly number[]): Promise<{ largestOkMiB: number | null; failure: { memoryMiB: number; error: string } | null }> {
  let largestOkMiB: number | null = null;
  for (const memoryMiB of sizesMiB) {
    try {
      await timeOnce(specFor({ memoryMiB, iterations: 1 }));
      largestOkMiB = memoryMiB;
    } catch (error) {
      return { largestOkMiB, failure: { memoryMiB, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } };
    }
  }
  return { largestOkMiB, failure: null };
}

/**
 * Median seconds of the reference C implementation's own timing (`argon2 salt -id ...` prints
 * "N seconds"), or null when the CLI is not installed.
 */
export function referenceSeconds(setting: Argon2Setting, runs: number): number | null {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    let out: string;
    try {
      const args = ['onscene-salt', '-id', '-t', String(setting.iterations), '-k', String(setting.memoryMiB * 1024), '-p', '1', '-l', '32'];
      out = execFileSync('argon2', args, { input: '123456', encoding: 'utf8' });
    } catch {
      return null;
    }
    const seconds = /([0-9.]+) seconds/.exec(out)?.[1];
    if (!seconds) return null;
    times.push(Number(seconds));
  }
  return median(times);
}

const MEMORY_MIB = [64, 96, 128, 160, 192, 224, 256, 384, 512, 1024];
const ITERATIONS = [1, 2, 3, 4];
const CEILING_MIB = [1024, 1536, 2040, 2047, 2048, 3072, 4095];

function argValue(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

function argList(args: readonly string[], name: string, fallback: readonly number[]): readonly number[] {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const values = (args[i + 1] ?? '').split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`${name} needs a comma-separated list of positive whole numbers`);
  return values;
}

async function main(args: readonly string[]) {
  const runs = argValue(args, '--runs', 5);
  const budgetMs = argValue(args, '--budget-ms', 700);
  const memories = argList(args, '--memory', MEMORY_MIB);
  const passes = argList(args, '--iterations', ITERATIONS);
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`argon2id (hash-wasm), 1 lane, median of ${runs}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}); Node ${process.version}; load average ${load()}`);
  await timeOnce(specFor({ memoryMiB: 64, iterations: 1 })); // warm-up: compiles the WebAssembly module once

  const rows: Measurement[] = [];
  console.log('| memory | passes | median CPU | median wall | wall min–max | CPU ms per MiB-pass | within budget |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | :---: |');
  for (const memoryMiB of memories) {
    for (const iterations of passes) {
      const row = await measure({ memoryMiB, iterations }, runs);
      rows.push(row);
      const f = (ms: number) => `${Math.round(ms)} ms`;
      const perUnit = (row.medianCpuMs / (memoryMiB * iterations)).toFixed(2);
      const spread = `${Math.round(Math.min(...row.wallMs))}–${Math.round(Math.max(...row.wallMs))} ms`;
      console.log(`| ${memoryMiB} MiB | ${iterations} | ${f(row.medianCpuMs)} | ${f(row.medianWallMs)} | ${spread} | ${perUnit} | ${row.medianCpuMs <= budgetMs ? 'yes' : 'no'} |`);
      if (row.medianCpuMs > budgetMs * 1.5) break; // more passes only take longer
    }
    const onePass = rows.find((r) => r.memoryMiB === memoryMiB && r.iterations === 1);
    if (onePass && onePass.medianCpuMs > budgetMs * 1.5) break; // more memory only takes longer
  }
  console.log(`load average after: ${load()}`);
  for (const minIterations of [1, 2, 3]) {
    const best = pickStrongest(rows, budgetMs, minIterations);
    const said = best ? `${best.memoryMiB} MiB, ${best.iterations} passes (median ${Math.round(best.medianCpuMs)} ms CPU, ${Math.round(best.medianWallMs)} ms wall)` : 'none';
    console.log(`strongest within ${budgetMs} ms with at least ${minIterations} pass(es): ${said}`);
    if (best && args.includes('--reference')) {
      const seconds = referenceSeconds(best, runs);
      console.log(`  reference C argon2 on one core: ${seconds === null ? 'argon2 CLI not installed (apt-get install argon2)' : `median ${Math.round(seconds * 1000)} ms per guess`}`);
    }
  }

  if (args.includes('--ceiling')) {
    const ceiling = await probeMemoryCeiling(CEILING_MIB);
    console.log(`hash-wasm memory ceiling: largest that derived ${ceiling.largestOkMiB ?? 'none'} MiB; ${ceiling.failure ? `failed at ${ceiling.failure.memoryMiB} MiB with ${ceiling.failure.error}` : 'no failure up to the largest size tried'}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
