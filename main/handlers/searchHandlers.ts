import type { Patient } from '@medplum/fhirtypes';
import { decideAccess, decideSearch, denyMessage } from '../../core/access';
import { AppError } from '../../core/errors';
import { SYSTEMS } from '../../core/fhirCodes';
import { patientSummary } from '../../core/recordView';
import { FhirClientError } from '../../sync/fhirClient';
import type { CentralSearch } from '../../sync/syncEngine';
import type { Handlers } from '../dispatch';
import { requireSession } from './requireSession';
import type { Services } from './services';

export type SearchHandlers = Readonly<{ 'patients.lookup': Handlers['patients.lookup'] }>;

/** A failed central search as a typed error (no PHI); only this device's records were searched. */
function centralSearchError(error: unknown): AppError {
  if (!(error instanceof FhirClientError)) return error instanceof AppError ? error : new AppError('internal', 'The search could not be completed.');
  if (error.reason === 'auth') return new AppError('server-error', 'The central record refused this device’s credentials, so only this device’s records were searched. Sign in online again, then search again.');
  if (error.reason === 'bad-data') return new AppError('server-error', 'The central record answered with a patient record OnScene could not read. It has not been added to this device.');
  return new AppError('server-error', 'The central record reported an error, so only this device’s records were searched. Try again in a moment.');
}

/**
 * patients.lookup, scope 3 (DESIGN §4): the central record is searched only for a number not
 * cached. For an uncached number, online: every central match is held for search (12 h, then
 * purged), a run that starts after the holds brings each one whole, safety tier first, and the
 * answer is read from the cache, so it lists only what record.open can then open.
 */
export function createSearchHandlers(s: Services): SearchHandlers {
  const cachedByNhsNumber = async (nhsNumber: string) =>
    (await s.store.repo().ofType<Patient>('Patient')).filter(({ resource }) => resource.identifier?.some((i) => i.system === SYSTEMS.nhsNumber && i.value === nhsNumber));

  async function lookupCentral(nhsNumber: string) {
    const engine = s.store.sync();
    if (!engine) return [];
    let central: CentralSearch;
    try {
      central = await engine.searchCentral(nhsNumber);
    } catch (error) {
      throw centralSearchError(error);
    }
    if (!central.isOnline || central.patientIds.length === 0) return [];
    for (const patientId of central.patientIds) await engine.holdForSearch(patientId);
    const status = await s.store.syncIncludingNewHolds();
    const found = await cachedByNhsNumber(nhsNumber);
    if (found.length > 0) return found;
    // On the central record but not brought here: an empty answer would say "no such patient".
    if (status.state === 'offline') throw new AppError('offline', 'This patient is on the central record, but the connection dropped before their record reached this device. Search again when there is signal.');
    throw new AppError('server-error', 'This patient is on the central record, but their record could not be brought to this device yet. Search again in a moment.');
  }

  return {
    'patients.lookup': async ({ nhsNumber, purpose }, context) => {
      const session = requireSession(context);
      const allowed = decideSearch(session.user.role, purpose);
      if (!allowed.allowed) throw new AppError('forbidden', denyMessage(allowed.reason));
      // Searching shows names: audited (durably) before the answer leaves, and before the number leaves the device.
      await s.audit.durableBeforeAnswer({ user: session.user, practitionerId: session.practitionerId, action: 'patients.search', patientId: null, purpose: allowed.purpose, outcome: 'success' });
      let found = await cachedByNhsNumber(nhsNumber);
      if (found.length === 0) found = await lookupCentral(nhsNumber);
      const who = await s.access.subject(session);
      const patients = found.map(({ resource }) => {
        const summary = patientSummary(resource);
        const decision = decideAccess(who, summary.patientId, purpose ?? { kind: 'break-glass' }, s.now());
        return { patientId: summary.patientId, nhsNumber: summary.nhsNumber, name: summary.name, birthDate: summary.birthDate, needsBreakGlass: !decision.allowed };
      });
      // Each patient the answer shows is named in an entry of its own before it leaves (issue #10).
      await Promise.all(
        patients.map((p) =>
          s.audit.durableBeforeAnswer({ user: session.user, practitionerId: session.practitionerId, action: 'patients.search', patientId: p.patientId, patientNhsNumber: p.nhsNumber, purpose: allowed.purpose, outcome: 'success' }),
        ),
      );
      return { patients };
    },
  };
}
