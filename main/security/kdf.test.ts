import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ARGON2ID, ARGON2_WASM_MAX_KIB, LEGACY_SCRYPT, deriveKey, isCurrentKdf, kdfSpecSchema } from './kdf';
import { type Measurement, median, pickStrongest } from './measureKdf';

describe('PIN key derivation', () => {
  it('matches the reference implementation, so the library is the real argon2id', async () => {
    // Known answer of the reference argon2 CLI: `echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32`.
    const key = await deriveKey('password', Buffer.from('somesalt'), { alg: 'argon2id', memoryKiB: 65536, iterations: 2, parallelism: 1 });
    expect(key.toString('hex')).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7');
  });
  it('is deterministic per salt and different across salts and PINs', async () => {
    const salt = randomBytes(16);
    const a = await deriveKey('111111', salt, ARGON2ID);
    expect((await deriveKey('111111', salt, ARGON2ID)).equals(a)).toBe(true);
    expect((await deriveKey('111112', salt, ARGON2ID)).equals(a)).toBe(false);
    expect((await deriveKey('111111', randomBytes(16), ARGON2ID)).equals(a)).toBe(false);
  });
  it('uses the measured production parameters, and computes them exactly as the reference argon2 does', async () => {
    // Chosen with `node --import tsx main/security/measureKdf.ts` (issue #10 item 6; figures in README "Keys"):
    // the most memory with at least 2 passes whose median stays within 0.7 s on this 2-core machine.
    expect(ARGON2ID).toEqual({ alg: 'argon2id', memoryKiB: 160 * 1024, iterations: 2, parallelism: 1 });
    // `echo -n password | argon2 somesalt -id -t 2 -k 163840 -p 1 -l 32 -r` (Debian package argon2).
    const key = await deriveKey('password', Buffer.from('somesalt'), ARGON2ID);
    expect(key.toString('hex')).toBe('ec9f1d5c58a00da761d6262e83944218f53f97f28cb667a50bf526259b3de56a');
  });
  it('stays inside what hash-wasm can derive, and refuses key-file specs beyond it', () => {
    expect(kdfSpecSchema.safeParse(ARGON2ID).success).toBe(true);
    expect(ARGON2ID.memoryKiB).toBeLessThanOrEqual(ARGON2_WASM_MAX_KIB);
    // hash-wasm's module has a 2 GiB WebAssembly memory: 2048 MiB throws a RangeError (measureKdf.ts --ceiling).
    expect(kdfSpecSchema.safeParse({ ...ARGON2ID, memoryKiB: 2048 * 1024 }).success).toBe(false);
  });
  it('still derives legacy scrypt keys and earlier argon2id parameters, and marks every such wrap for migration', async () => {
    expect((await deriveKey('1111', randomBytes(16), LEGACY_SCRYPT)).length).toBe(32);
    const earlierArgon2id = { alg: 'argon2id', memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 } as const; // issue #4's parameters
    expect(isCurrentKdf(LEGACY_SCRYPT)).toBe(false);
    expect(isCurrentKdf(earlierArgon2id)).toBe(false);
    expect(isCurrentKdf({ ...ARGON2ID, iterations: ARGON2ID.iterations + 1 })).toBe(false); // slower than the budget: re-made too
    expect(isCurrentKdf({ ...ARGON2ID, parallelism: 2 })).toBe(false);
    expect(isCurrentKdf({ ...ARGON2ID })).toBe(true);
  });
});

describe('choosing the parameters (measureKdf.ts)', () => {
  const row = (memoryMiB: number, iterations: number, ms: number): Measurement => ({ memoryMiB, iterations, medianCpuMs: ms, medianWallMs: ms, wallMs: [ms] });
  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
  it('picks the most memory within the budget, then the most passes, above a floor of passes', () => {
    const rows = [row(64, 3, 280), row(64, 4, 350), row(128, 1, 380), row(128, 2, 470), row(160, 2, 720), row(192, 1, 570)];
    expect(pickStrongest(rows, 700)).toMatchObject({ memoryMiB: 192, iterations: 1 });
    expect(pickStrongest(rows, 700, 2)).toMatchObject({ memoryMiB: 128, iterations: 2 });
    expect(pickStrongest(rows, 700, 3)).toMatchObject({ memoryMiB: 64, iterations: 4 });
    expect(pickStrongest(rows, 100)).toBeNull();
  });
});
