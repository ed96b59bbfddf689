import { z } from 'zod';
import { syncDetailViewSchema } from '../core/syncDetailViews';

export * from '../core/syncDetailViews';

/**
 * Issue #14: the sync detail screen. It names patients (whose uploads wait, what was set aside),
 * so main audits it like any list read before it answers, and names only patients the caller may see.
 */
export const syncMethods = {
  'sync.detail': { params: z.object({}).strict(), result: syncDetailViewSchema, needsSession: true },
} as const;
