import { scrypt as scryptCallback } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { z } from 'zod';

/**
 * Key derivation from a user's PIN or passphrase (issue #4).
 *
 * argon2id (RFC 9106) via hash-wasm: a maintained, dependency-free WebAssembly build, so it runs
 * the same in Node and Electron's main process without a native rebuild. Parameters: 64 MiB,
 * 3 passes, 1 lane — RFC 9106 §4's second recommended option with one lane (the derivation runs
 * on the main process of a 2-core laptop). Measured here: ~180 ms per derivation on this 2-core
 * machine (`npm run bench` → "argon2id PIN derivation"; kdf.test.ts keeps it under a bound).
 *
 * What it buys and what it does not: it slows every guess, offline included; a 4-digit PIN is
 * still only 10^4 guesses (~30 min on one core against a stolen key file). The back-off rules
 * protect the sign-in screen; the Electron safeStorage wrap (keyProtector.ts) keeps the key file
 * useless off this OS account; passphrases are accepted for users who want more.
 *
 * scrypt (N=2^15, r=8, p=1) was the skeleton's KDF: still read, so old wraps migrate on the
 * next successful sign-in (keyVault.ts), never written again.
 */
export const ARGON2ID = { alg: 'argon2id', memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 } as const;
export const LEGACY_SCRYPT = { alg: 'scrypt', N: 2 ** 15, r: 8, p: 1 } as const;

export const kdfSpecSchema = z.discriminatedUnion('alg', [
  z.object({
    alg: z.literal('argon2id'),
    memoryKiB: z.number().int().min(8 * 1024).max(4 * 1024 * 1024),
    iterations: z.number().int().min(1).max(64),
    parallelism: z.number().int().min(1).max(16),
  }),
  z.object({ alg: z.literal('scrypt'), N: z.number().int().min(2 ** 14).max(2 ** 20), r: z.number().int().min(1).max(32), p: z.number().int().min(1).max(16) }),
]);
export type KdfSpec = z.infer<typeof kdfSpecSchema>;

/** True when a wrap made with `spec` should be re-made with today's parameters. */
export const isCurrentKdf = (spec: KdfSpec): boolean =>
  spec.alg === 'argon2id' && spec.memoryKiB >= ARGON2ID.memoryKiB && spec.iterations >= ARGON2ID.iterations;

/** Derives a 256-bit key-encryption key from the secret and a per-wrap random salt. */
export async function deriveKey(secret: string, salt: Buffer, spec: KdfSpec): Promise<Buffer> {
  if (spec.alg === 'argon2id') {
    const key = await argon2id({
      password: secret,
      salt,
      parallelism: spec.parallelism,
      iterations: spec.iterations,
      memorySize: spec.memoryKiB,
      hashLength: 32,
      outputType: 'binary',
    });
    return Buffer.from(key);
  }
  const options = { N: spec.N, r: spec.r, p: spec.p, maxmem: 256 * spec.N * spec.r };
  return new Promise<Buffer>((resolve, reject) => scryptCallback(secret, salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))));
}
