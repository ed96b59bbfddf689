import type { RxChangeEvent } from 'rxdb';
import type { CachedResourceDoc } from './schemas';
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

/**
 * Issue #11: which patients' cached records changed, from RxDB's change stream on the resources
 * collection (sync pulls, purges, local writes alike). The UI is told the patient ids only; a
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
  const subscription = store.resources.$.subscribe((event) => {
    const patientId = changedPatient(event as RxChangeEvent<CachedResourceDoc>);
    if (!patientId) return;
    pending.add(patientId);
    timer ??= setTimeout(flush, options.debounceMs ?? 400);
  });
  return () => {
    subscription.unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
    pending.clear();
  };
}
