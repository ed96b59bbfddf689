import type { Resource } from '@medplum/fhirtypes';
import { SAFETY_TIER_TYPES } from '../core/fhirCodes';
import type { CachedResource, RecordViewFacts } from '../core/recordView';
import { patientIdOf } from '../core/patientLink';
import type { LocalStore } from './localStore';
import type { CachedResourceDoc, PatientScopeDoc, SyncIssueDoc } from './schemas';

type IncomingResource = Readonly<{ resourceType: string; id: string; meta?: { lastUpdated?: string } }> & Record<string, unknown>;

export const resourceKey = (resourceType: string, id: string): string => `${resourceType}/${id}`;
/**
 * The key of a copy of a resource held for one patient: a resource that is not itself linked to a
 * patient (a Medication their prescription references) is stored once per patient that needs it,
 * so it is purged with that patient and no other patient's purge can take it away.
 */
export const linkedKey = (resourceType: string, id: string, patientId: string): string => `${resourceKey(resourceType, id)}|Patient/${patientId}`;
/** The syncissues key of an incoming resource set aside as unreadable (one per resource: the latest failure). */
export const quarantineKey = (key: string): string => `in:${key}`;

function toDoc(resource: IncomingResource, syncedAt: string, link?: Readonly<{ patientId: string; key: string }>): CachedResourceDoc {
  return {
    key: link?.key ?? resourceKey(resource.resourceType, resource.id),
    resourceType: resource.resourceType,
    resourceId: resource.id,
    patientId: link?.patientId ?? patientIdOf(resource),
    lastUpdated: resource.meta?.lastUpdated ?? '',
    syncedAt,
    resource: resource as Record<string, unknown>,
  };
}

const toCached = <R extends Resource>(doc: CachedResourceDoc): CachedResource<R> => ({
  resource: doc.resource as unknown as R,
  syncedAt: doc.syncedAt,
});

/**
 * What is withheld, for the record view: an objection to sharing says more than a label (it
 * withholds everything but the demographics), so it is the reason whenever the patient objects.
 */
function withheldOf(doc: PatientScopeDoc | undefined): RecordViewFacts['withheld'] {
  if (!doc) return null;
  const keys = [...new Set([...(doc.withheldRestricted ?? []), ...(doc.withheldObjection ?? [])])];
  const isObjecting = (doc.objections ?? []).length > 0;
  if (keys.length === 0 && !isObjecting) return null;
  const types = [...new Set(keys.map((k) => k.slice(0, k.indexOf('/'))))].sort();
  return { reason: isObjecting ? 'sharing-objection' : 'restricted', count: keys.length, types };
}

/** Reads and writes cached FHIR resources; the only code that knows the document shape. */
export type ResourceRepo = ReturnType<typeof createResourceRepo>;

export function createResourceRepo(store: LocalStore) {
  const { resources, outbox, patientScopes, syncIssues } = store;
  /** Keys among `keys` that have a local write waiting to be pushed: the server must not overwrite those. */
  async function pendingKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await outbox.findByIds([...keys]).exec();
    return new Set(found.keys());
  }
  /**
   * A readable version from the server supersedes one set aside as unreadable: its quarantine is
   * resolved, so the record stops saying "could not be read" once there is something to read.
   */
  async function resolveQuarantined(keys: readonly string[]): Promise<void> {
    const found = await syncIssues.findByIds(keys.map(quarantineKey)).exec();
    const open = [...found.values()].filter((d) => d.state === 'open').map((d) => ({ ...d.toJSON(), state: 'resolved' as const }));
    if (open.length === 0) return;
    const result = await syncIssues.bulkUpsert(open as SyncIssueDoc[]);
    if (result.error.length > 0) throw new Error(`quarantine resolve failed for ${result.error.length} documents`);
  }
  async function patientPurgeableKeys(patientId: string): Promise<string[]> {
    const docs = await resources.find({ selector: { patientId } }).exec();
    const pending = await pendingKeys(docs.map((d) => d.key));
    return docs.map((d) => d.key).filter((k) => !pending.has(k));
  }
  async function removeDocs(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await resources.bulkRemove([...keys]);
    if (result.error.length > 0) throw new Error(`bulkRemove failed for ${result.error.length} documents`);
    return keys.length;
  }
  return {
    /** Stores what the central record sent, stamped with when it confirmed it. One bulk write per page. */
    async upsertAll(incoming: readonly IncomingResource[], syncedAt: string): Promise<void> {
      if (incoming.length === 0) return;
      const result = await resources.bulkUpsert(incoming.map((r) => toDoc(r, syncedAt)));
      if (result.error.length > 0) throw new Error(`bulkUpsert failed for ${result.error.length} documents`);
    },
    /**
     * Stores server versions, except where a local edit is waiting to be pushed: that edit stays
     * visible, and the push decides (a 412 then keeps both versions). Returns how many were stored.
     */
    async upsertFromServer(incoming: readonly IncomingResource[], syncedAt: string): Promise<number> {
      if (incoming.length === 0) return 0;
      const docs = incoming.map((r) => toDoc(r, syncedAt));
      const pending = await pendingKeys(docs.map((d) => d.key));
      const toWrite = pending.size ? docs.filter((d) => !pending.has(d.key)) : docs;
      if (toWrite.length === 0) return 0;
      const result = await resources.bulkUpsert(toWrite);
      if (result.error.length > 0) throw new Error(`bulkUpsert failed for ${result.error.length} documents`);
      await resolveQuarantined(toWrite.map((d) => d.key));
      return toWrite.length;
    },
    /**
     * Stores copies held for one patient each (linkedKey): a Medication per patient whose
     * prescription references it. Never a local write, so no outbox check.
     */
    async upsertLinked(items: readonly Readonly<{ resource: IncomingResource; patientId: string; key: string }>[], syncedAt: string): Promise<void> {
      if (items.length === 0) return;
      const result = await resources.bulkUpsert(items.map((i) => toDoc(i.resource, syncedAt, i)));
      if (result.error.length > 0) throw new Error(`bulkUpsert failed for ${result.error.length} documents`);
    },
    /** Which of `keys` are cached and may be removed (no local write waiting to be pushed). */
    async purgeableKeys(keys: readonly string[]): Promise<string[]> {
      if (keys.length === 0) return [];
      const found = [...(await resources.findByIds([...new Set(keys)]).exec()).keys()];
      const pending = await pendingKeys(found);
      return found.filter((k) => !pending.has(k)).sort();
    },
    async removeKeys(keys: readonly string[]): Promise<number> {
      return removeDocs(keys);
    },
    /** Keys of everything cached about a patient except the given types. */
    async recordKeysOf(patientId: string, exceptTypes: readonly string[]): Promise<string[]> {
      const docs = await resources.find({ selector: { patientId } }).exec();
      return docs.filter((d) => !exceptTypes.includes(d.resourceType)).map((d) => d.key).sort();
    },
    /** Removes the cached copy of a resource deleted on the server, unless our copy is newer than the deletion. */
    async removeDeleted(resourceType: string, id: string, deletedAtMs: number): Promise<boolean> {
      const key = resourceKey(resourceType, id);
      const doc = await resources.findOne(key).exec();
      if (!doc || (await pendingKeys([key])).size) return false;
      const local = Date.parse(doc.lastUpdated);
      if (Number.isFinite(local) && local >= deletedAtMs) return false; // re-created after the deletion
      await removeDocs([key]);
      return true;
    },
    /** How many resources removePatient would remove now (the purge audit records it before removing). */
    async countPatient(patientId: string): Promise<number> {
      return (await patientPurgeableKeys(patientId)).length;
    },
    /** Removes everything cached about a patient except local writes still waiting to be pushed. */
    async removePatient(patientId: string): Promise<number> {
      return removeDocs(await patientPurgeableKeys(patientId));
    },
    /**
     * What the record view needs beyond the resources themselves (pass it into
     * buildPatientRecordView's options): when each type of the patient's record was last confirmed
     * by a completed pull (Consent's is the resuscitation decision's), which safety-tier types hold
     * a resource that could not be read, and what is withheld from this device (counts, no content).
     */
    async recordViewFacts(patientId: string): Promise<RecordViewFacts> {
      const scopeDoc = (await patientScopes.findOne(patientId).exec())?.toJSON() as PatientScopeDoc | undefined;
      const confirmedAtByType = { ...(scopeDoc?.confirmedAtByType ?? {}) };
      const quarantined = await syncIssues.find({ selector: { kind: 'quarantined-in', state: 'open', patientId } }).exec();
      const unreadable = new Set<string>();
      // Open only until a readable version arrives (resolveQuarantined).
      for (const issue of quarantined) if ((SAFETY_TIER_TYPES as readonly string[]).includes(issue.resourceType)) unreadable.add(issue.resourceType);
      const waiting = await outbox.find({ selector: { patientId } }).exec();
      return {
        consentConfirmedAt: confirmedAtByType.Consent ?? null,
        unreadableTypes: [...unreadable].sort(),
        confirmedAtByType,
        withheld: withheldOf(scopeDoc),
        waitingKeys: [...new Set(waiting.map((d) => resourceKey(d.resourceType, d.resourceId)))].sort(),
      };
    },
    /** Removes cached resources of a type for a patient that the central record no longer returns. */
    async removeMissing(patientId: string, resourceType: string, keepIds: ReadonlySet<string>): Promise<number> {
      const docs = await resources.find({ selector: { patientId, resourceType } }).exec();
      return removeDocs(docs.filter((d) => !keepIds.has(d.resourceId)).map((d) => d.key));
    },
    async removeTypeExcept(resourceType: string, keepIds: ReadonlySet<string>): Promise<number> {
      const docs = await resources.find({ selector: { resourceType } }).exec();
      return removeDocs(docs.filter((d) => !keepIds.has(d.resourceId)).map((d) => d.key));
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
    /** Every cached resource as key → "versionId@lastUpdated": what tests compare between two stores. */
    async fingerprint(): Promise<Map<string, string>> {
      const docs = await resources.find().exec();
      const meta = (d: CachedResourceDoc) => (d.resource.meta ?? {}) as { versionId?: string };
      return new Map(docs.map((d) => [d.key, `${meta(d).versionId ?? ''}@${d.lastUpdated}`]));
    },
    async count(): Promise<number> {
      return resources.count().exec();
    },
  };
}
