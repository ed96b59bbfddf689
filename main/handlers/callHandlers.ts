import type { Task } from '@medplum/fhirtypes';
import { type AccessPurpose, denyMessage, isCallReference, isOpenIncidentStatus, mayJoinCall, mayStartCall } from '../../core/access';
import { AppError } from '../../core/errors';
import { SYSTEMS } from '../../core/fhirCodes';
import type { ActiveCallView } from '../../core/patientSearchViews';
import { FhirClientError } from '../../sync/fhirClient';
import { findCentralIncident } from '../../sync/referenceLookup';
import type { Handlers } from '../dispatch';
import { requireSession } from './requireSession';
import type { Services } from './services';

export type CallHandlers = Readonly<{
  'calls.current': Handlers['calls.current'];
  'calls.start': Handlers['calls.start'];
  'calls.join': Handlers['calls.join'];
  'calls.end': Handlers['calls.end'];
}>;

const NOT_FOUND = 'No call or incident with that reference is on this device or the central record. Check the reference with the call handler or the crew.';

/**
 * The 111 workflow (issue #13). A call handler takes a call: its reference (in the configured
 * format) is recorded on this device and becomes the purpose of every search and open until
 * "End call". A clinical adviser joins a call or an incident by reference, and a reference that
 * exists nowhere is refused. What "exists" means:
 * - a call: started on this device (call_reference). The central record has no standard resource
 *   for a 111 call (none in UK Core, none in the sandbox), so it is not asked; a central record
 *   that keeps calls (an Encounter identified by the call reference, say) would be asked here.
 * - an incident: a Task on this device (by id or incident number), else on the central record
 *   (Task by identifier, then by id). Opening a patient under an incident not on this device still
 *   needs emergency access: the access rule trusts only incidents this device holds.
 */
export function createCallHandlers(s: Services): CallHandlers {
  const pattern = new RegExp(s.config.calls.referencePattern);
  const isWellFormed = (reference: string) => isCallReference(reference) && pattern.test(reference);
  const calls = () => {
    const store = s.store.current();
    if (!store) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
    return store.calls;
  };

  async function localIncident(reference: string): Promise<string | null> {
    for (const { resource } of await s.store.repo().ofType<Task>('Task')) {
      if (!resource.id || !isOpenIncidentStatus(resource.status)) continue;
      const number = resource.identifier?.find((i) => i.system === SYSTEMS.incidentNumber)?.value;
      if (resource.id === reference || number === reference) return resource.id;
    }
    return null;
  }

  async function centralIncident(reference: string): Promise<string | null> {
    if (!s.store.sync()) return null;
    try {
      return await findCentralIncident(s.central, reference);
    } catch (error) {
      if (error instanceof FhirClientError && error.reason === 'offline') {
        throw new AppError('offline', 'That reference is not on this device, and there is no signal to ask the central record. Join again when there is signal, or use emergency access.');
      }
      throw new AppError('server-error', 'The central record could not be asked about that reference. Try again in a moment.');
    }
  }

  return {
    'calls.current': async (_params, context) => {
      const session = requireSession(context);
      return { call: s.calls.get(session.token), referencePattern: s.config.calls.referencePattern, referenceHint: s.config.calls.referenceHint };
    },
    'calls.start': async ({ callReference }, context) => {
      const session = requireSession(context);
      if (!mayStartCall(session.user.role)) throw new AppError('forbidden', denyMessage('not-call-role'));
      if (!isWellFormed(callReference)) throw new AppError('bad-request', `That call reference is not in the expected form. ${s.config.calls.referenceHint}.`);
      calls().record(callReference, s.now().toISOString(), session.user.userId);
      return s.calls.set(session.token, { kind: 'call', reference: callReference, incidentId: null, isJoined: false });
    },
    'calls.join': async ({ reference }, context) => {
      const session = requireSession(context);
      if (!mayJoinCall(session.user.role)) throw new AppError('forbidden', 'Clinical advisers join calls and incidents. Your role starts calls or works from incidents.');
      if (isWellFormed(reference) && calls().find(reference)) return s.calls.set(session.token, { kind: 'call', reference, incidentId: null, isJoined: true });
      const incidentId = (await localIncident(reference)) ?? (await centralIncident(reference));
      if (!incidentId) throw new AppError('not-found', NOT_FOUND);
      return s.calls.set(session.token, { kind: 'incident', reference, incidentId, isJoined: true } satisfies Omit<ActiveCallView, 'startedAt'>);
    },
    'calls.end': async (_params, context) => {
      s.calls.end(requireSession(context).token);
      return {};
    },
  };
}

/** record.openWithPurpose under a call: only the call this session holds. */
export function requireHeldPurpose(s: Services, token: string, purpose: AccessPurpose): void {
  if (purpose.kind !== 'call') return;
  const held = s.calls.workingOn(token);
  if (held?.kind !== 'call' || held.reference !== purpose.callReference) throw new AppError('forbidden', denyMessage('call-not-active'));
}
