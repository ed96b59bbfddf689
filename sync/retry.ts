/**
 * Retry timing for calls to the central record: exponential backoff with full jitter, so a fleet
 * of vehicles regaining signal together does not hammer the server in lockstep
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), and the server's
 * Retry-After wins over our own schedule (RFC 9110 §10.2.3).
 */
export type RetryPolicy = Readonly<{
  /** Attempts per request, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this ends the run instead of holding it open. */
  maxRetryAfterMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Delay before attempt `attempt + 1` (attempt counts from 1): random in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(policy.random() * ceiling);
}

/** Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/**
 * The wait before the next attempt: never less than the server's Retry-After, plus our own jitter,
 * so a fleet told the same Retry-After in a 429 storm does not come back in the same instant.
 */
export function retryWaitMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | null): number {
  const jitter = backoffDelayMs(policy, attempt);
  return retryAfterMs === null ? jitter : retryAfterMs + jitter;
}

/** The next background sync: the interval ±10%, so vehicles that regained signal together drift apart. */
export function jitteredIntervalMs(intervalMs: number, random: () => number): number {
  return Math.max(1, Math.round(intervalMs * (0.9 + 0.2 * random())));
}
