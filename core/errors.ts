/**
 * Typed error codes that may cross the contract. Messages are written for the user and never
 * carry PHI (names, NHS numbers, free text): see ../shared/CONVENTIONS.md "Errors".
 */
export const ERROR_CODES = [
  'bad-request',
  'unknown-method',
  'unauthenticated',
  'forbidden',
  'wrong-pin',
  'not-found',
  'offline',
  'server-error',
  'audit-failed',
  'storage-failed',
  'wrong-key',
  'internal',
  // Issue #4: a locked session (unlock with PIN), a PIN back-off wait, offline access closed until online sign-in.
  'locked',
  'too-many-attempts',
  'online-sign-in-required',
  // Issue #9: a setting this deployment has not configured (e.g. no identity provider).
  'not-configured',
  // Issue #12: a save met a newer revision of the same record (another window saved first).
  'conflict',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type AppErrorShape = Readonly<{ code: ErrorCode; message: string }>;

/** An error whose message is safe to show the user and to log. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
  toShape(): AppErrorShape {
    return { code: this.code, message: this.message };
  }
}

/** Maps anything thrown to a shape that is safe to cross the contract (no raw exception text). */
export function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toShape();
  return { code: 'internal', message: 'Something went wrong inside OnScene. Try again; if it keeps happening, tell support.' };
}
