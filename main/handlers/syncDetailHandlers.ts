import type { Patient } from '@medplum/fhirtypes';
import { type AccessSubject, mayListPatientItem } from '../../core/access';
import { AppError } from '../../core/errors';
import { patientSummary } from '../../core/recordView';
import type { QuarantinedItem, SyncDetailView, SyncScopeDetail, UploadWait } from '../../core/syncDetailViews';
import {
  failureWhatToDo, purgeWhyText, recordKindText, refusalText, scopeLabel, scopeStateText, tierLabel, unreadableText, uploadWhyText,
} from '../../core/syncDetailText';
import type { SyncStatus } from '../../core/views';
import type { SyncIssueDoc } from '../../db/schemas';
import { type SyncDetailFacts, readSyncDetailFacts } from '../../sync/syncDetail';
import type { Handlers } from '../dispatch';
import { requireSession } from './requireSession';
import type { Services } from './services';

export type SyncDetailHandlers = Readonly<{ 'sync.detail': Handlers['sync.detail'] }>;

type Named = Readonly<{ patientId: string; name: string; nhsNumber: string | null }>;

function scopesOf(status: SyncStatus): SyncScopeDetail[] {
  const isSyncing = status.state === 'syncing';
  return (status.scopes ?? []).map((scope) => ({
    scope: scope.scope,
    label: scopeLabel(scope.scope),
    patients: scope.patients,
    tiers: scope.tiers.map((t) => ({ ...t, label: tierLabel(t.tier) })),
    lastCompleteAt: scope.lastCompleteAt,
    state: scopeStateText(scope, isSyncing),
  }));
}

const uploadWhy = (status: SyncStatus): UploadWait['why'] =>
  status.state === 'syncing' ? 'uploading' : !status.isOnline || status.state === 'offline' ? 'offline' : 'next-run';

/**
 * Builds the detail from the facts. `nameOf` answers only for patients the caller may see (and
 * remembers them for the audit entry); anything about another patient is counted, not listed.
 */
type Names = Readonly<{ nameOf: (patientId: string) => Promise<string | null>; keep: (patientId: string) => void }>;

async function buildDetail(status: SyncStatus, facts: SyncDetailFacts, mayList: (patientId: string, scopes?: readonly string[]) => boolean, names: Names): Promise<SyncDetailView> {
  const { nameOf } = names;
  const notShown = { uploads: 0, quarantined: 0, purged: 0 };
  const uploads: UploadWait[] = [];
  const wait = async (item: Omit<UploadWait, 'patientName'>) => {
    const name = item.patientId ? await nameOf(item.patientId) : null;
    // A patient no longer on the device (purged) is not named by anything here: the crew's own work
    // for them is listed unnamed rather than hidden, so "waiting" never looks like "lost".
    if (item.patientId && name !== null && !mayList(item.patientId)) return void notShown.uploads++;
    if (item.patientId && name !== null) names.keep(item.patientId);
    uploads.push({ ...item, patientName: name });
  };
  const why = uploadWhy(status);
  for (const entry of facts.outbox) {
    await wait({ key: entry.key, what: recordKindText(entry.resourceType), patientId: entry.patientId || null, since: entry.recordedAt, why, whyText: uploadWhyText(why), conflictId: null });
  }
  for (const issue of facts.conflicts) {
    await wait({ key: issue.key, what: recordKindText(issue.resourceType), patientId: issue.patientId || null, since: issue.at, why: 'conflict', whyText: uploadWhyText('conflict'), conflictId: issue.key });
  }
  for (const issue of facts.refused) {
    await wait({ key: issue.key, what: recordKindText(issue.resourceType), patientId: issue.patientId || null, since: issue.at, why: 'refused', whyText: uploadWhyText('refused', refusalText(issue.reason)), conflictId: null });
  }
  const quarantined: QuarantinedItem[] = [];
  const setAside = async (issue: SyncIssueDoc, whyText: string) => {
    if (issue.patientId && !mayList(issue.patientId)) return void notShown.quarantined++;
    const name = issue.patientId ? await nameOf(issue.patientId) : null;
    if (issue.patientId && name !== null) names.keep(issue.patientId);
    quarantined.push({ key: issue.key, at: issue.at, what: recordKindText(issue.resourceType), patientName: name, whyText });
  };
  for (const issue of facts.unreadable) await setAside(issue, unreadableText(issue.resourceType, issue.reason));
  for (const issue of facts.refused) await setAside(issue, uploadWhyText('refused', refusalText(issue.reason)));
  const purged = facts.purged.filter((p) => mayList(p.patientId, p.scopes) || void notShown.purged++);
  const failure = status.lastFailure;
  return {
    status,
    fetching: status.state === 'syncing' ? status.progress.phase : null,
    scopes: scopesOf(status),
    uploads,
    quarantined,
    lastFailure: failure ? { ...failure, whatToDo: failureWhatToDo(failure.reason) } : null,
    purged: purged.map((p) => ({ ...p, whyText: purgeWhyText(p) })),
    notShown,
  };
}

/**
 * sync.detail (issue #14): per scope and tier, what waits to upload and why, what was set aside,
 * the last failure with what to do, what was removed and why. It names patients, so it is read
 * like a list (DESIGN §5): the access rule decides who is named (core/access.ts
 * mayListPatientItem), and an entry naming each of them is durable before the answer leaves.
 * Purged patients are never named: their details left the device with them.
 */
export function createSyncDetailHandlers(s: Services): SyncDetailHandlers {
  return {
    'sync.detail': async (_params, context) => {
      const session = requireSession(context);
      if (session.user.role === 'administrator') throw new AppError('forbidden', 'Administrators do not see patient data. The device status screen shows sync without patients.');
      const sync = s.store.requireSync();
      const store = s.store.current();
      if (!store) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
      const who: AccessSubject = await s.access.subject(session);
      const repo = s.store.repo();
      // Looked up on the device; only those kept (listed with their name) are named in the answer and the audit.
      const cachedNames = new Map<string, Named | null>();
      const named = new Map<string, Named>();
      const names: Names = {
        async nameOf(patientId) {
          if (!cachedNames.has(patientId)) {
            const patient = await repo.get<Patient>('Patient', patientId);
            const summary = patient ? patientSummary(patient.resource) : null;
            cachedNames.set(patientId, summary ? { patientId, name: summary.name, nhsNumber: summary.nhsNumber } : null);
          }
          return cachedNames.get(patientId)?.name ?? null;
        },
        keep(patientId) {
          const known = cachedNames.get(patientId);
          if (known) named.set(patientId, known);
        },
      };
      const detail = await buildDetail(sync.status(), await readSyncDetailFacts(store), (patientId, scopes) => mayListPatientItem(who, { patientId, ...(scopes ? { scopes } : {}) }, s.now()), names);
      // No entry, no data: one entry per patient named, or one naming nobody (group commit).
      const entry = { user: session.user, practitionerId: session.practitionerId, action: 'sync.detail' as const, purpose: 'sync status', outcome: 'success' as const };
      const shown = [...named.values()];
      await Promise.all(
        shown.length === 0
          ? [s.audit.durableBeforeAnswer({ ...entry, patientId: null })]
          : shown.map((p) => s.audit.durableBeforeAnswer({ ...entry, patientId: p.patientId, patientNhsNumber: p.nhsNumber })),
      );
      return detail;
    },
  };
}
