import { z } from 'zod';
import { DEFAULT_BREAK_GLASS_MS } from '../../core/accessBreakGlass';
import { DEFAULT_STALE_AFTER_MS } from '../../core/recordView';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../../core/sessionRules';

/** Everything security-related a deployment may tune; the defaults are the documented ones (README "Security"). */
export type SecurityPolicy = SessionPolicy &
  Readonly<{
    breakGlassMs: number;
    /** Issue #11: a safety-critical item not confirmed by the central record for longer than this reads "may have changed". */
    staleAfterMs: number;
  }>;

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = { ...DEFAULT_SESSION_POLICY, breakGlassMs: DEFAULT_BREAK_GLASS_MS, staleAfterMs: DEFAULT_STALE_AFTER_MS };

const ENV = {
  ONSCENE_IDLE_LOCK_MS: 'idleLockMs',
  ONSCENE_REAUTH_DAYS: 'reauthAfterDays',
  ONSCENE_PIN_FREE_ATTEMPTS: 'freeAttempts',
  ONSCENE_PIN_ONLINE_AFTER: 'onlineAfterFailures',
  ONSCENE_BREAK_GLASS_MS: 'breakGlassMs',
  ONSCENE_STALE_AFTER_MS: 'staleAfterMs',
} as const satisfies Record<string, keyof SecurityPolicy>;

const positive = z.coerce.number().int().min(1);

/** Reads ONSCENE_* overrides; a bad value is a startup error with the variable's name (never silently ignored). */
export function readSecurityPolicy(env: NodeJS.ProcessEnv): SecurityPolicy {
  const policy: { -readonly [K in keyof SecurityPolicy]: SecurityPolicy[K] } = { ...DEFAULT_SECURITY_POLICY };
  for (const [name, key] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined) continue;
    const parsed = positive.safeParse(raw);
    if (!parsed.success) throw new Error(`${name} must be a whole number above 0.`);
    policy[key] = parsed.data;
  }
  return policy;
}
