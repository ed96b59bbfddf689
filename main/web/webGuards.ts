import { timingSafeEqual } from 'node:crypto';

/** Pure predicates of the web shell's trust boundary, unit-tested with hostile inputs. */

/** The web shell only ever binds loopback. */
export const isLoopbackHost = (host: string): boolean => host === '127.0.0.1';

/** Host header must name us exactly (defeats DNS rebinding). */
export const isOwnHost = (hostHeader: string | undefined, port: number): boolean => hostHeader === `127.0.0.1:${port}`;

/** Browsers send Origin on POST and on cross-origin requests; it must be our own. */
export const isOwnOrigin = (origin: string | undefined, port: number): boolean => origin === `http://127.0.0.1:${port}`;

/** Constant-time comparison of the per-launch token. */
export function isLaunchToken(candidate: string | undefined | null, launchToken: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(launchToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const bearerOf = (authorization: string | undefined): string | undefined =>
  authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;

/** Strict CSP: our own scripts and styles only, no inline code, nothing external. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
