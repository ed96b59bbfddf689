import type { RxChangeEvent } from 'rxdb';
import type { CachedResourceDoc, PatientScopeDoc } from './schemas';
import type { LocalStore } from './localStore';

export type RecordChangeWatchOptions = Readonly<{
  /** Changes are gathered this long and reported once (a sync page writes many resources). */
  debounceMs?: number;
  onChanged: (patientIds: readonly string[]) => void;
}>;

/** Only content the record shows counts: a re-confirmation (syncedAt moved, same version) is not a change. */
function changedPatient(event: RxChangeEvent<CachedResourceDoc>): string | null {
  const doc = (event.documentData ?? event.previousDocumentData) as CachedResourceDoc | undefined;
  if (!doc || doc.patientId === '') return null;
  if (event.operation === 'UPDATE') {
    const before = event.previousDocumentData as CachedResourceDoc | undefined;
    if (before && before.lastUpdated === doc.lastUpdated && JSON.stringify(before.resource) === JSON.stringify(doc.resource)) return null;
  }
  return doc.patientId;
}

/** What a record shows from the scope doc: what is withheld and why (confirmation stamps move every run and do not count). */
function withheldChanged(event: RxChangeEvent<PatientScopeDoc>): string | null {
  const doc = (event.documentData ?? event.previousDocumentData) as PatientScopeDoc | undefined;
  if (!doc) return null;
  const before = event.previousDocumentData as PatientScopeDoc | undefined;
  const shown = (d: PatientScopeDoc | undefined) => JSON.stringify([d?.withheldRestricted ?? [], d?.withheldObjection ?? [], d?.objections ?? []]);
  return event.operation === 'UPDATE' && shown(before) === shown(doc) ? null : doc.patientId;
}

/**
 * Issue #11: which patients' cached records changed, from RxDB's change streams on the resources
 * collection (sync pulls, purges, local writes alike) and on what the scope docs say is withheld. The UI is told the patient ids only; a
 * screen showing one of them asks again through the audited path.
 */
export function watchRecordChanges(store: LocalStore, options: RecordChangeWatchOptions): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const ids = [...pending];
    pending.clear();
    if (ids.length > 0) options.onChanged(ids);
  };
  const note = (patientId: string | null) => {
    if (!patientId) return;
    pending.add(patientId);
    timer ??= setTimeout(flush, options.debounceMs ?? 400);
  };
  const subscriptions = [
    store.resources.$.subscribe((event) => note(changedPatient(event as RxChangeEvent<CachedResourceDoc>))),
    // Information newly withheld (a label or an objection) may remove nothing cached: still a change to what the record says.
    store.patientScopes.$.subscribe((event) => note(withheldChanged(event as RxChangeEvent<PatientScopeDoc>))),
  ];
  return () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
    pending.clear();
  };
}
