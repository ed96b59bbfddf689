/**
 * Sign-in and session rules (DESIGN §6, issue #4), pure so every case is tested in plain Node:
 * exponential back-off of wrong PINs, "sign in online" after too many, the re-authentication
 * deadline, and the inactivity lock. Times are ISO strings in, ISO strings out.
 */

export type SessionPolicy = Readonly<{
  /** Wrong PINs allowed before any wait (a mistyped PIN in a moving vehicle is normal). */
  freeAttempts: number;
  /** Wait after the first failure beyond the free ones; doubles with each further failure. */
  baseDelayMs: number;
  /** The wait never grows beyond this. */
  maxDelayMs: number;
  /** After this many consecutive failures offline sign-in stops; only an online sign-in resets it. */
  onlineAfterFailures: number;
  /** Days without an online sign-in after which the user's offline access is locked. */
  reauthAfterDays: number;
  /** Inactivity after which a session locks and the UI drops patient data. */
  idleLockMs: number;
}>;

/** Defaults: 3 free tries, then 30 s doubling to 15 min; online after 10; re-auth every 14 days; lock after 5 min idle. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  freeAttempts: 3,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  onlineAfterFailures: 10,
  reauthAfterDays: 14,
  idleLockMs: 5 * 60_000,
};

/** What the device remembers about one user's sign-ins (kept outside the encrypted store: it gates opening it). */
export type SignInRecord = Readonly<{
  failures: number;
  lastFailureAt: string | null;
  lastOnlineAuthAt: string | null;
  /** The latest time this device has seen for the user: a clock moved back cannot shorten a wait or a deadline. */
  highWaterAt: string | null;
}>;

export const EMPTY_SIGN_IN_RECORD: SignInRecord = { failures: 0, lastFailureAt: null, lastOnlineAuthAt: null, highWaterAt: null };

export type SignInMode = 'offline' | 'online';

export type SignInGate =
  | Readonly<{ kind: 'open' }>
  | Readonly<{ kind: 'wait'; retryAt: string; waitMs: number }>
  | Readonly<{ kind: 'online-required'; reason: 'too-many-failures' | 'reauth-overdue' | 'never-online' }>;

const DAY_MS = 24 * 60 * 60 * 1000;
const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/**
 * The wait owed after `failures` consecutive wrong PINs: 0 for the free attempts, then
 * base × 2^(n − free − 1), capped. Example: free 3, base 30 s → 0, 0, 0, 30 s, 60 s, 120 s …
 */
export function backoffDelayMs(failures: number, policy: SessionPolicy): number {
  const beyond = failures - policy.freeAttempts;
  if (beyond <= 0) return 0;
  // Cap the exponent too, so a huge counter never overflows to Infinity.
  const exponent = Math.min(beyond - 1, 40);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/** The device clock, but never earlier than a time this device has already seen (defeats winding the clock back). */
export function effectiveNow(now: Date, record: SignInRecord): number {
  return Math.max(now.getTime(), ms(record.highWaterAt) ?? 0, ms(record.lastFailureAt) ?? 0);
}

/** When the user must next sign in online, or null if they never have. */
export function reauthDeadline(record: SignInRecord, policy: SessionPolicy): string | null {
  const last = ms(record.lastOnlineAuthAt);
  return last === null ? null : new Date(last + policy.reauthAfterDays * DAY_MS).toISOString();
}

/**
 * May this user try a PIN now? Offline: not after too many failures, not past the re-auth
 * deadline, not during a back-off wait. Online: the back-off still applies (an online attempt is
 * still a PIN guess), but the failure cap and the deadline do not, since online sign-in resets them.
 */
export function signInGate(record: SignInRecord, now: Date, policy: SessionPolicy, mode: SignInMode): SignInGate {
  const at = effectiveNow(now, record);
  if (mode === 'offline') {
    if (record.failures >= policy.onlineAfterFailures) return { kind: 'online-required', reason: 'too-many-failures' };
    const deadline = ms(reauthDeadline(record, policy));
    if (deadline === null) return { kind: 'online-required', reason: 'never-online' };
    if (at >= deadline) return { kind: 'online-required', reason: 'reauth-overdue' };
  }
  const lastFailure = ms(record.lastFailureAt);
  const delay = backoffDelayMs(record.failures, policy);
  if (lastFailure !== null && delay > 0 && at < lastFailure + delay) {
    const retryAt = lastFailure + delay;
    return { kind: 'wait', retryAt: new Date(retryAt).toISOString(), waitMs: retryAt - at };
  }
  return { kind: 'open' };
}

/** The record after a wrong PIN. */
export function recordFailure(record: SignInRecord, now: Date): SignInRecord {
  const at = new Date(effectiveNow(now, record)).toISOString();
  return { ...record, failures: record.failures + 1, lastFailureAt: at, highWaterAt: at };
}

/** The record after a right PIN; an online sign-in also restarts the re-auth clock. */
export function recordSuccess(record: SignInRecord, now: Date, mode: SignInMode): SignInRecord {
  const at = new Date(effectiveNow(now, record)).toISOString();
  return { failures: 0, lastFailureAt: null, lastOnlineAuthAt: mode === 'online' ? at : record.lastOnlineAuthAt, highWaterAt: at };
}

/** True when a session idle since `lastActivityAt` must lock now. */
export function isIdleExpired(lastActivityAt: string, now: Date, idleLockMs: number): boolean {
  return now.getTime() - Date.parse(lastActivityAt) >= idleLockMs;
}

/** "45 seconds", "2 minutes", "1 hour 5 minutes": a wait in words, rounded up so we never promise too early. */
export function describeWait(waitMs: number): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}

/** The plain-language sentence for a closed gate (no PHI: only times and counts). */
export function gateMessage(gate: SignInGate): string {
  if (gate.kind === 'wait') return `Too many wrong PINs. Wait ${describeWait(gate.waitMs)} before trying again.`;
  if (gate.kind === 'online-required') {
    if (gate.reason === 'too-many-failures') return 'Too many wrong PINs. Sign in online (with signal) to unlock your access.';
    if (gate.reason === 'reauth-overdue') return 'You have not signed in online for too long. Sign in online (with signal) to unlock your access.';
    return 'You need to sign in online once (with signal) before you can sign in offline.';
  }
  return '';
}

/**
 * A new offline PIN: at least 6 digits. It guards a copy of the data key on a laptop that can be
 * stolen; with argon2id at ~0.2 s a try, 6 digits is about 55 hours of guessing for one wrap
 * offline, 4 digits about half an hour (README "Sign-in").
 */
export const MIN_NEW_PIN_LENGTH = 6;
export const isAcceptablePin = (pin: string): boolean => new RegExp(`^\\d{${MIN_NEW_PIN_LENGTH},32}$`).test(pin);
export const PIN_RULE_MESSAGE = `Choose a PIN of at least ${MIN_NEW_PIN_LENGTH} digits (numbers only).`;
