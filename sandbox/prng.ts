/**
 * A small seeded PRNG so the synthetic record is reproducible: same seed, same resources,
 * ids and timestamps. mulberry32 (public domain, Tommy Ettinger) is fast and good enough
 * for test data; it is not for anything security related.
 */
export type Rng = Readonly<{
  /** Uniform float in [0, 1). */
  next: () => number;
  /** Uniform integer in [min, max] inclusive. */
  int: (min: number, max: number) => number;
  /** True with probability p. */
  chance: (p: number) => boolean;
  /** One element of a non-empty list. */
  pick: <T>(items: readonly T[]) => T;
  /** k distinct elements (k clamped to the list length), in list order. */
  sample: <T>(items: readonly T[], k: number) => T[];
}>;

/** Creates a mulberry32 generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  };
  const sample = <T>(items: readonly T[], k: number): T[] => {
    const chosen = new Set<number>();
    const want = Math.min(Math.max(0, k), items.length);
    while (chosen.size < want) chosen.add(Math.floor(next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
  };
  return { next, int, chance: (p) => next() < p, pick, sample };
}
