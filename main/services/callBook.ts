import type { WorkingOn } from '../../core/access';
import type { ActiveCallView } from '../../core/patientSearchViews';

/**
 * What each session is working on (issue #13): the 111 call a call handler took, or the call or
 * incident a clinical adviser joined. Held in memory by session token only: "End call", sign-out
 * and the end of the process all forget it, and a search or open under a call not held here is
 * refused. The durable record of each call is its audit entries (and call_reference, db/).
 */
export function createCallBook(now: () => Date) {
  const calls = new Map<string, ActiveCallView>();
  return {
    get: (sessionToken: string): ActiveCallView | null => calls.get(sessionToken) ?? null,
    /** The core rule's view of it (core/access.ts decidePatientSearch). */
    workingOn(sessionToken: string): WorkingOn {
      const call = calls.get(sessionToken);
      return call ? { kind: call.kind, reference: call.reference, incidentId: call.incidentId } : null;
    },
    set(sessionToken: string, call: Omit<ActiveCallView, 'startedAt'>): ActiveCallView {
      const held = { ...call, startedAt: now().toISOString() };
      calls.set(sessionToken, held);
      return held;
    },
    end: (sessionToken: string): void => void calls.delete(sessionToken),
  };
}
export type CallBook = ReturnType<typeof createCallBook>;
