/** One benchmark figure, as `npm run bench -- --json` prints them. */
export type Figure = Readonly<{ name: string; value: number; unit: string; note?: string }>;

/** A benchmark part: measures its own baseline in the same run and returns ratios beside raw figures. */
export type BenchPart = Readonly<{ name: string; run: (log: (line: string) => void) => Promise<Figure[]> }>;

/** Median of repeated timings: robust to the odd GC pause on a 2-core machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function timeMs(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}
