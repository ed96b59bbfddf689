import { AppError } from '../../core/errors';
import type { CallContext } from '../dispatch';
import type { Session } from '../services/sessions';

/** The caller's live session; the dispatcher has already refused locked ones for most methods. */
export function requireSession(context: CallContext): Session {
  if (!context.session) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
  return context.session;
}
