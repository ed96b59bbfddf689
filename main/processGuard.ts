/**
 * The last line of defence in both shells (issue #10): an exception no request handler caught is
 * logged by its kind only (never its message, which may carry PHI) and the app keeps serving, so
 * one bad request cannot end every session, break-glass grant and the embedded sandbox with it.
 * Each shell also guards its own request handlers; this catches what they cannot see.
 */
export function installProcessGuard(log: (line: string) => void): void {
  process.on('uncaughtException', (error) => log(`uncaught ${error instanceof Error ? error.name : typeof error}; still serving`));
  process.on('unhandledRejection', (reason) => log(`unhandled rejection ${reason instanceof Error ? reason.name : typeof reason}; still serving`));
}
