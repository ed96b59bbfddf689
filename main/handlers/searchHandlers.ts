import type { Patient } from '@medplum/fhirtypes';
import { type AccessPurpose, decideAccess, decidePatientSearch, decideSearch, denyMessage } from '../../core/access';
import { AppError } from '../../core/errors';
import type { PatientQuery } from '../../core/patientSearchViews';
import { patientSummary } from '../../core/recordView';
import type { LocalStore } from '../../db/localStore';
import { FhirClientError } from '../../sync/fhirClient';
import type { CentralSearch } from '../../sync/syncEngine';
import type { Handlers } from '../dispatch';
import { type CentralOutcome, buildMatchViews, centralMatches, queryText } from './searchResults';
import { requireSession } from './requireSession';
import type { Services } from './services';

export type SearchHandlers = Readonly<{
  'patients.lookup': Handlers['patients.lookup'];
  'patients.search': Handlers['patients.search'];
  'patients.fetch': Handlers['patients.fetch'];
}>;

/** A failed central search as a typed error (no PHI); only this device's records were searched. */
export function centralSearchError(error: unknown): AppError {
  if (!(error instanceof FhirClientError)) return error instanceof AppError ? error : new AppError('internal', 'The search could not be completed.');
  if (error.reason === 'auth') return new AppError('server-error', 'The central record refused this device’s credentials, so only this device’s records were searched. Sign in online again, then search again.');
  if (error.reason === 'bad-data') return new AppError('server-error', 'The central record answered with a patient record OnScene could not read. It has not been added to this device.');
  return new AppError('server-error', 'The central record reported an error, so only this device’s records were searched. Try again in a moment.');
}

/**
 * patients.lookup (exact NHS number, the break-glass screen) and patients.search (issue #13): the
 * device's patient index first (SQL indexes, db/patientIndex.ts), then the central record when
 * there is signal. Scope 3 (DESIGN §4): a central match opened is held for search (12 h, then
 * purged) and brought whole by a run that starts after the hold, safety tier first.
 */
export function createSearchHandlers(s: Services): SearchHandlers {
  const opened = (): LocalStore => {
    const store = s.store.current();
    if (!store) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
    return store;
  };
  const cachedByNhsNumber = async (nhsNumber: string) => {
    const found = opened().patients.search({ kind: 'nhs-number', nhsNumber }, s.now()).matches;
    const repo = s.store.repo();
    const patients = await Promise.all(found.map((m) => repo.get<Patient>('Patient', m.patient.patientId)));
    return patients.filter((p) => p !== null);
  };

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

  /** A search under a call is a search under the call this session holds (an ended call is no purpose). */
  function requireHeldCall(token: string, purpose: AccessPurpose | null): void {
    if (purpose?.kind !== 'call') return;
    const held = s.calls.workingOn(token);
    if (held?.kind !== 'call' || held.reference !== purpose.callReference) throw new AppError('forbidden', denyMessage('call-not-active'));
  }

  async function searchCentral(query: PatientQuery, onDevice: ReadonlySet<string>): Promise<CentralOutcome> {
    const engine = s.store.sync();
    if (!engine) return { state: 'not-asked', message: '', patients: [] };
    try {
      // Through the engine, so no signal also shows as offline on the status strip (issue #14).
      const found = await engine.searchPatients(query);
      if (!found.isOnline) return { state: 'offline', message: 'No signal: only this device’s records were searched.', patients: [] };
      return { state: 'searched', message: '', patients: centralMatches(found.patients, query, s.now(), onDevice) };
    } catch (error) {
      if (error instanceof FhirClientError && error.reason === 'offline') return { state: 'offline', message: 'No signal: only this device’s records were searched.', patients: [] };
      return { state: 'failed', message: centralSearchError(error).message, patients: [] };
    }
  }

  return {
    'patients.lookup': async ({ nhsNumber, purpose }, context) => {
      const session = requireSession(context);
      const allowed = decideSearch(session.user.role, purpose);
      if (!allowed.allowed) throw new AppError('forbidden', denyMessage(allowed.reason));
      requireHeldCall(session.token, purpose);
      // Searching shows names: audited (durably) before the answer leaves, and before the number leaves the device.
      await s.audit.durableBeforeAnswer({ user: session.user, practitionerId: session.practitionerId, action: 'patients.search', patientId: null, purpose: allowed.purpose, outcome: 'success', detail: { query: queryText({ kind: 'nhs-number', nhsNumber }) } });
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

    'patients.search': async ({ query, purpose, includeCentral }, context) => {
      const session = requireSession(context);
      const who = await s.access.subject(session);
      const decision = decidePatientSearch(who, purpose as AccessPurpose, s.calls.workingOn(session.token));
      const entry = { user: session.user, practitionerId: session.practitionerId, action: 'patients.search' as const, detail: { query: queryText(query) } };
      if (!decision.allowed) {
        // A refused search is recorded too: search is where misuse of a record happens.
        await s.audit.recordedOrDeferred({ ...entry, patientId: null, purpose: purpose.kind === 'call' ? `call ${purpose.callReference}` : purpose.kind, outcome: 'failure' });
        throw new AppError('forbidden', denyMessage(decision.reason));
      }
      // Audited before the index is read and before the query leaves the device.
      await s.audit.durableBeforeAnswer({ ...entry, patientId: null, purpose: decision.purpose, outcome: 'success' });
      const local = opened().patients.search(query, s.now());
      const onDevice = new Set(local.matches.map((m) => m.patient.patientId));
      const central = includeCentral ? await searchCentral(query, onDevice) : { state: 'not-asked' as const, message: '', patients: [] };
      const matches = await buildMatchViews({ store: opened(), subject: who, purpose: purpose as AccessPurpose, now: s.now(), local: local.matches, central: central.patients });
      // Each patient the list shows is named in an entry of its own (issue #10), in one group commit.
      await Promise.all(
        matches.map((m) => s.audit.durableBeforeAnswer({ ...entry, patientId: m.patientId, patientNhsNumber: m.details?.nhsNumber ?? null, purpose: decision.purpose, outcome: 'success' })),
      );
      return { matches, isTruncated: local.isTruncated, central: { state: central.state, message: central.message } };
    },

    'patients.fetch': async ({ patientId, purpose }, context) => {
      const session = requireSession(context);
      const who = await s.access.subject(session);
      const decision = decidePatientSearch(who, purpose as AccessPurpose, s.calls.workingOn(session.token));
      if (!decision.allowed) throw new AppError('forbidden', denyMessage(decision.reason));
      if (await s.store.repo().get<Patient>('Patient', patientId)) return { isOnDevice: true as const };
      const engine = s.store.requireSync();
      await s.audit.durableBeforeAnswer({ user: session.user, practitionerId: session.practitionerId, action: 'patients.search', patientId, purpose: decision.purpose, outcome: 'success', detail: { section: 'fetch' } });
      await engine.holdForSearch(patientId);
      // The run reports progress as it goes (sync.changed), so the screen shows it, not a frozen wait.
      const status = await s.store.syncIncludingNewHolds();
      if (await s.store.repo().get<Patient>('Patient', patientId)) return { isOnDevice: true as const };
      if (status.state === 'offline') throw new AppError('offline', 'The connection dropped before this record reached the device. It will come with the next sync; try again when there is signal.');
      throw new AppError('server-error', 'This record could not be brought to the device yet. Try again in a moment.');
    },
  };
}
