import type { Patient } from '@medplum/fhirtypes';
import type { RxCollection } from 'rxdb';
import type { PatientIndex } from './patientIndex';
import type { CachedResourceDoc } from './schemas';

/**
 * Keeps patient_index in step with the cached Patients (issue #13): RxDB's change stream on the
 * resources collection, one bulk at a time (a sync page of Patients is one transaction here too).
 * Our RxStorage emits after commit and before the write resolves (db/storage/sqliteInstance.ts),
 * so a search that follows a sync already sees what it wrote.
 */
export function watchPatientIndex(resources: RxCollection<CachedResourceDoc>, index: PatientIndex): () => void {
  const subscription = resources.eventBulks$.subscribe((bulk) => {
    const upserts: Patient[] = [];
    const removals: string[] = [];
    for (const event of bulk.events) {
      const doc = (event.documentData ?? event.previousDocumentData) as CachedResourceDoc | undefined;
      if (!doc || doc.resourceType !== 'Patient') continue;
      if (event.operation === 'DELETE') removals.push(doc.resourceId);
      else upserts.push(doc.resource as unknown as Patient);
    }
    if (upserts.length > 0 || removals.length > 0) index.apply(upserts, removals);
  });
  return () => subscription.unsubscribe();
}

/**
 * On open: an empty table beside cached Patients (a file from before migration 3), or a count
 * that differs (a crash between the two connections' commits), is rebuilt from the resources.
 * Returns whether it rebuilt.
 */
export async function rebuildPatientIndexIfNeeded(resources: RxCollection<CachedResourceDoc>, index: PatientIndex): Promise<boolean> {
  const cached = await resources.count({ selector: { resourceType: 'Patient' } }).exec();
  if (cached === index.count()) return false;
  const docs = await resources.find({ selector: { resourceType: 'Patient' } }).exec();
  index.rebuild(docs.map((d) => (d.toJSON() as CachedResourceDoc).resource as unknown as Patient));
  return true;
}
