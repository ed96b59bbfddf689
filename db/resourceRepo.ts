import type { Resource } from '@medplum/fhirtypes';
import type { CachedResource } from '../core/recordView';
import { patientIdOf } from '../core/patientLink';
import type { LocalStore } from './localStore';
import type { CachedResourceDoc } from './schemas';

type IncomingResource = Readonly<{ resourceType: string; id: string; meta?: { lastUpdated?: string } }> & Record<string, unknown>;

export const resourceKey = (resourceType: string, id: string): string => `${resourceType}/${id}`;

function toDoc(resource: IncomingResource, syncedAt: string): CachedResourceDoc {
  return {
    key: resourceKey(resource.resourceType, resource.id),
    resourceType: resource.resourceType,
    resourceId: resource.id,
    patientId: patientIdOf(resource),
    lastUpdated: resource.meta?.lastUpdated ?? '',
    syncedAt,
    resource: resource as Record<string, unknown>,
  };
}

const toCached = <R extends Resource>(doc: CachedResourceDoc): CachedResource<R> => ({
  resource: doc.resource as unknown as R,
  syncedAt: doc.syncedAt,
});

/** Reads and writes cached FHIR resources; the only code that knows the document shape. */
export type ResourceRepo = ReturnType<typeof createResourceRepo>;

export function createResourceRepo(store: LocalStore) {
  const { resources } = store;
  return {
    /** Stores what the central record sent, stamped with when it confirmed it. One bulk write per page. */
    async upsertAll(incoming: readonly IncomingResource[], syncedAt: string): Promise<void> {
      if (incoming.length === 0) return;
      const result = await resources.bulkUpsert(incoming.map((r) => toDoc(r, syncedAt)));
      if (result.error.length > 0) throw new Error(`bulkUpsert failed for ${result.error.length} documents`);
    },
    /** Removes cached resources of a type for a patient that the central record no longer returns. */
    async removeMissing(patientId: string, resourceType: string, keepIds: ReadonlySet<string>): Promise<number> {
      const docs = await resources.find({ selector: { patientId, resourceType } }).exec();
      const gone = docs.filter((d) => !keepIds.has(d.resourceId)).map((d) => d.key);
      if (gone.length) await resources.bulkRemove(gone);
      return gone.length;
    },
    async removeTypeExcept(resourceType: string, keepIds: ReadonlySet<string>): Promise<number> {
      const docs = await resources.find({ selector: { resourceType } }).exec();
      const gone = docs.filter((d) => !keepIds.has(d.resourceId)).map((d) => d.key);
      if (gone.length) await resources.bulkRemove(gone);
      return gone.length;
    },
    async get<R extends Resource>(resourceType: R['resourceType'], id: string): Promise<CachedResource<R> | null> {
      const doc = await resources.findOne(resourceKey(resourceType, id)).exec();
      return doc ? toCached<R>(doc.toJSON() as CachedResourceDoc) : null;
    },
    async ofType<R extends Resource>(resourceType: R['resourceType']): Promise<CachedResource<R>[]> {
      const docs = await resources.find({ selector: { resourceType }, sort: [{ lastUpdated: 'asc' }] }).exec();
      return docs.map((d) => toCached<R>(d.toJSON() as CachedResourceDoc));
    },
    async forPatient(patientId: string): Promise<CachedResource[]> {
      const docs = await resources.find({ selector: { patientId } }).exec();
      return docs.map((d) => toCached(d.toJSON() as CachedResourceDoc)).filter((r) => r.resource.resourceType !== 'Patient');
    },
  };
}
