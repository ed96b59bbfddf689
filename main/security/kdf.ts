import { scrypt as scryptCallback } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { z } from 'zod';

/**
 * Key derivation from a user's PIN or passphrase (issue #4; parameters raised for issue #10 item 6).
 *
 * argon2id (RFC 9106) via hash-wasm: a maintained, dependency-free WebAssembly build, so it runs
 * the same in Node and Electron's main process without a native rebuild.
 *
 * Parameters: 160 MiB, 2 passes, 1 lane (issue #10 item 6), measured with
 * `node --import tsx main/security/measureKdf.ts` on this 2-core machine (table in README "Keys"):
 * a median of 0.54–0.60 s per derivation over three runs, where 192 MiB × 2 went past 0.7 s in
 * three of four. Rule: the most memory, with at least 2 passes, whose median stays within 0.7 s,
 * leaving headroom under the 1 s sign-in budget for a loaded laptop. At least 2 passes because a
 * single pass spends a large share of our time faulting in fresh memory, which an attacker reusing
 * one buffer does not pay, and RFC 9106 §4 recommends 1 pass only with 2 GiB. The reference C
 * argon2 (an attacker's tool) takes ~0.45 s per guess at this setting on one core here, against
 * ~0.18 s at the earlier 64 MiB × 3. The derivation blocks the event loop for its duration
 * (hash-wasm runs synchronously once started), as it did before.
 *
 * Ceiling: hash-wasm's argon2 module declares a 2 GiB (32768-page) WebAssembly memory, so it
 * derives with at most ~2047 MiB and throws a RangeError ("Invalid typed array length") from
 * 2048 MiB; kdfSpecSchema refuses specs above what it can derive.
 *
 * What it buys and what it does not: it slows every guess, offline included, but a 6-digit PIN is
 * still only 10^6 guesses; the back-off rules protect the sign-in screen, the OS key store seal
 * (keyProtector.ts; keyFileProtection.ts says when the web shell has none) keeps a copied key file
 * useless off this OS account, and passphrases are accepted for users who want more.
 *
 * Wraps record their own spec, so wraps made with earlier parameters (argon2id 64 MiB × 3, or the
 * skeleton's scrypt N=2^15, r=8, p=1) still open, and are re-made with ARGON2ID at that user's next
 * successful unlock (keyVault.ts). scrypt is never written again.
 */
export const ARGON2ID = { alg: 'argon2id', memoryKiB: 160 * 1024, iterations: 2, parallelism: 1 } as const;
export const LEGACY_SCRYPT = { alg: 'scrypt', N: 2 ** 15, r: 8, p: 1 } as const;
/** The most memory (KiB) hash-wasm's 2 GiB WebAssembly memory derives with (measured: 2047 MiB works, 2048 MiB throws). */
export const ARGON2_WASM_MAX_KIB = 2047 * 1024;

export const kdfSpecSchema = z.discriminatedUnion('alg', [
  z.object({
    alg: z.literal('argon2id'),
    memoryKiB: z.number().int().min(8 * 1024).max(ARGON2_WASM_MAX_KIB),
    iterations: z.number().int().min(1).max(64),
    parallelism: z.number().int().min(1).max(16),
  }),
  z.object({ alg: z.literal('scrypt'), N: z.number().int().min(2 ** 14).max(2 ** 20), r: z.number().int().min(1).max(32), p: z.number().int().min(1).max(16) }),
]);
export type KdfSpec = z.infer<typeof kdfSpecSchema>;

/**
 * True only for today's exact parameters: any other wrap (scrypt, or argon2id with other memory,
 * passes or lanes — weaker, or stronger and so slower than the sign-in budget) is re-made with
 * ARGON2ID at the next successful unlock.
 */
export const isCurrentKdf = (spec: KdfSpec): boolean =>
  spec.alg === ARGON2ID.alg &&
  spec.memoryKiB === ARGON2ID.memoryKiB &&
  spec.iterations === ARGON2ID.iterations &&
  spec.parallelism === ARGON2ID.parallelism;

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
