import { z } from 'zod';

/**
 * Issue #16: the desktop app's own state that the page must show: software updates (downloaded
 * in the background, installed only when the user chooses "Restart to update", never while a
 * record or triage is open) and the operating system locking the screen or suspending.
 * The web shell has no updater: it answers `off` with the reason.
 */
export const updateStatusSchema = z
  .object({
    /** off: this deployment does not update itself (no update URL, or the web shell); ready: installable now. */
    state: z.enum(['off', 'idle', 'checking', 'downloading', 'ready', 'failed']),
    /** The version offered, once known. */
    version: z.string().max(64).nullable(),
    /** Whole percent downloaded, 0–100, while downloading. */
    percent: z.number().int().min(0).max(100).nullable(),
    /** Plain words for the user; never PHI, never a raw error. */
    message: z.string().max(300),
  })
  .strict();
export type UpdateStatus = z.output<typeof updateStatusSchema>;

export const appMethods = {
  /** What the updater knows now (the notice asks at start, then follows `app.updateChanged`). */
  'app.updateStatus': { params: z.object({}).strict(), result: updateStatusSchema, needsSession: false },
  /** The user chose "Restart to update": main installs the downloaded update and restarts. */
  'app.restartToUpdate': { params: z.object({}).strict(), result: z.object({}), needsSession: false },
} as const;

export const appEvents = {
  'app.updateChanged': updateStatusSchema,
  // The operating system locked the screen or is suspending: main has locked every session; the page shows the lock screen now.
  'app.locked': z.object({ reason: z.enum(['suspend', 'lock-screen']) }).strict(),
} as const;
