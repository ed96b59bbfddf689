import {
  applyPatch, badRequest, fhirpathPatchTypedValue, generateId, gone, normalizeOperationOutcome, notFound, type Operation,
  OperationOutcomeError, parseFhirPathPatchParameters, preconditionFailed, type SearchRequest, toTypedValue,
  validateResource, type WithId,
} from '@medplum/core';
import {
  type CreateResourceOptions, type DeleteResourceOptions, FhirRepository, getExtraEntries, MemoryRepository,
  type ReadHistoryOptions, type UpdateResourceOptions,
} from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Parameters, Reference, Resource } from '@medplum/fhirtypes';
import { type Clock, createMonotonicClock } from './clock';
import { instanceHistoryBundle, type TypeHistoryQuery, typeHistoryBundle } from './history';
import { pageSize, planIndexedSearch, runIndexedSearch } from './indexedSearch';
import { type EntrySnapshot, IndexStore, isLive, type Version } from './indexStore';
import { canIncludeFast, includeFast } from './fastInclude';
import { fullUrl, searchset } from './searchBundle';

export type SandboxRepositoryOptions = Readonly<{
  /** Validate writes against the R4 structure definitions, as a real central record does (default true). */
  validateWrites?: boolean;
  clock?: Clock;
  /** `Type:param` includes answered without the included resources (SandboxOptions.ignoredIncludes). */
  ignoredIncludes?: readonly string[];
}>;

type Journal = EntrySnapshot[];

/**
 * Medplum's MemoryRepository with what the sandbox needs on top: integer versionIds, a
 * monotonic lastUpdated, indexes for the searches sync makes, type history that includes
 * deletions, and an undo journal so transaction Bundles are all-or-nothing. Every write still
 * goes through MemoryRepository, which stays the store Medplum's own search falls back on.
 */
export class SandboxRepository extends FhirRepository {
  readonly inner = new MemoryRepository();
  readonly store = new IndexStore();
  private readonly clock: Clock;
  private readonly validateWrites: boolean;
  private readonly ignoredIncludes: ReadonlySet<string>;
  private journal: Journal | undefined;
  private baseUrl = 'http://127.0.0.1/fhir';

  constructor(options: SandboxRepositoryOptions = {}) {
    super();
    this.clock = options.clock ?? createMonotonicClock();
    this.validateWrites = options.validateWrites ?? true;
    this.ignoredIncludes = new Set(options.ignoredIncludes ?? []);
  }

  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl;
  }

  /** Loads resources with their own meta (versionId, lastUpdated) untouched: the deterministic seed. */
  async seed(resources: readonly Resource[]): Promise<void> {
    await this.inner.withSeeding(async () => {
      for (const resource of resources) {
        const saved = await this.inner.createResource(resource);
        const ms = Date.parse(saved.meta?.lastUpdated ?? '');
        if (!Number.isFinite(ms)) throw new Error(`seed resource ${saved.resourceType}/${saved.id} has no lastUpdated`);
        this.clock.observe(ms);
        const versionId = Number(saved.meta?.versionId ?? '1');
        this.store.record({ resourceType: saved.resourceType, id: saved.id, versionId, lastUpdatedMs: ms, method: 'POST', json: JSON.stringify(saved) }, saved);
      }
    });
  }

  setMode(): void {
    // One in-memory store: there is no reader replica to route to.
  }

  generateId(): string {
    return generateId();
  }

  // ---- writes -------------------------------------------------------------------------------

  private async write<T extends Resource>(resource: WithId<T>, method: Version['method']): Promise<WithId<T>> {
    if (this.validateWrites) validateResource(resource);
    const prev = this.store.get(resource.resourceType, resource.id);
    const versionId = (prev?.latest.versionId ?? 0) + 1;
    const ms = this.clock.nextMs();
    const meta = { ...resource.meta, versionId: String(versionId), lastUpdated: new Date(ms).toISOString() };
    this.journal?.push(this.store.snapshot(resource.resourceType, resource.id));
    // Seeding mode is how MemoryRepository lets the caller choose versionId and lastUpdated.
    const saved = await this.inner.withSeeding(() => this.inner.updateResource<T>({ ...resource, meta }));
    this.store.record({ resourceType: saved.resourceType, id: saved.id, versionId, lastUpdatedMs: ms, method, json: JSON.stringify(saved) }, saved);
    return saved;
  }

  async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    // Like a real server, a plain create ignores a client id; batch/transaction entries get ids assigned up front.
    const id = options?.assignedId && resource.id ? resource.id : this.generateId();
    if (isLive(this.store.get(resource.resourceType, id))) throw new OperationOutcomeError(badRequest('Assigned ID is already in use'));
    return this.write({ ...resource, id }, 'POST');
  }

  /** Update, or create with the client's id when it does not exist (update-as-create: pushes are idempotent). */
  async updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    const { id } = resource;
    if (!id) throw new OperationOutcomeError(badRequest('Missing id'));
    this.checkIfMatch(resource.resourceType, id, options?.ifMatch);
    return this.write({ ...resource, id }, 'PUT');
  }

  private checkIfMatch(resourceType: string, id: string, ifMatch: string | undefined): void {
    if (ifMatch === undefined) return;
    const entry = this.store.get(resourceType, id);
    if (!entry) throw new OperationOutcomeError(notFound);
    // A deleted resource has moved past the version the client saw: that is a conflict too.
    if (!isLive(entry) || String(entry.latest.versionId) !== ifMatch) throw new OperationOutcomeError(preconditionFailed);
  }

  async patchResource<T extends Resource>(
    resourceType: T['resourceType'], id: string, patch: Operation[] | Parameters, options?: UpdateResourceOptions,
  ): Promise<WithId<T>> {
    const resource = await this.readResource<T>(resourceType, id);
    try {
      if (Array.isArray(patch)) {
        const errors = applyPatch(resource, patch).filter(Boolean);
        if (errors.length) throw new OperationOutcomeError(badRequest(errors.map((e) => e?.message).join('\n')));
      } else if (patch.parameter) {
        fhirpathPatchTypedValue(toTypedValue(resource), parseFhirPathPatchParameters(patch));
      }
    } catch (err) {
      throw new OperationOutcomeError(normalizeOperationOutcome(err));
    }
    if (resource.id !== id || resource.resourceType !== resourceType) throw new OperationOutcomeError(badRequest('Patch cannot change id or type'));
    this.checkIfMatch(resourceType, id, options?.ifMatch);
    return this.write(resource, 'PATCH');
  }

  async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    const entry = this.store.get(resourceType, id);
    if (!entry) throw new OperationOutcomeError(notFound);
    if (!isLive(entry)) return; // deleting twice is not an error (a retried push)
    this.checkIfMatch(resourceType, id, options?.ifMatch);
    this.journal?.push(this.store.snapshot(resourceType, id));
    await this.inner.deleteResource(resourceType, id);
    const version: Version = { resourceType, id, versionId: entry.latest.versionId + 1, lastUpdatedMs: this.clock.nextMs(), method: 'DELETE', json: null };
    this.store.record(version, undefined);
  }

  // ---- transactions -------------------------------------------------------------------------

  /** Starts recording undo information; writes are serialized by the caller's lock. */
  beginJournal(): void {
    if (this.journal) throw new Error('transactions do not nest');
    this.journal = [];
  }

  commitJournal(): void {
    this.journal = undefined;
  }

  /** Undoes every write since beginJournal, newest first, in the indexes and in MemoryRepository. */
  async rollbackJournal(): Promise<void> {
    const journal = this.journal ?? [];
    this.journal = undefined;
    for (const snap of journal.reverse()) {
      this.store.restore(snap);
      const json = snap.entry?.versions[snap.versionCount - 1]?.json;
      if (json) await this.inner.withSeeding(() => this.inner.updateResource(JSON.parse(json) as Resource));
      else await this.inner.expungeResource(snap.resourceType, snap.id);
    }
  }

  withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    // Requests are serialized by the server's lock, so a conditional create/update is already isolated.
    return callback(this);
  }

  /** True when the id exists and is not deleted. */
  exists(resourceType: string, id: string): boolean {
    return isLive(this.store.get(resourceType, id));
  }

  // ---- reads --------------------------------------------------------------------------------

  async readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    const entry = this.store.get(resourceType, id);
    if (!entry) throw new OperationOutcomeError(notFound);
    if (!isLive(entry)) throw new OperationOutcomeError(gone);
    return JSON.parse(entry.latest.json ?? 'null') as WithId<T>;
  }

  async readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    const parts = reference.reference?.split('/');
    if (parts?.length !== 2 || !parts[0] || !parts[1]) throw new OperationOutcomeError(badRequest('Invalid reference'));
    return this.readResource<T>(parts[0], parts[1]);
  }

  async readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    return Promise.all(references.map((r) => this.readReference(r).catch((err: unknown) => new OperationOutcomeError(normalizeOperationOutcome(err)))));
  }

  async readHistory<T extends Resource>(resourceType: string, id: string, options?: ReadHistoryOptions): Promise<Bundle<WithId<T>>> {
    const entry = this.store.get(resourceType, id);
    if (!entry) throw new OperationOutcomeError(notFound);
    return instanceHistoryBundle(this.baseUrl, entry.versions, options?.offset, options?.limit) as Bundle<WithId<T>>;
  }

  async readVersion<T extends Resource>(resourceType: string, id: string, vid: string): Promise<WithId<T>> {
    const version = this.store.get(resourceType, id)?.versions.find((v) => String(v.versionId) === vid);
    if (!version) throw new OperationOutcomeError(notFound);
    if (!version.json) throw new OperationOutcomeError(gone);
    return JSON.parse(version.json) as WithId<T>;
  }

  /** A page of one type's history, including deletions. */
  typeHistory(resourceType: string, query: TypeHistoryQuery): Bundle {
    return typeHistoryBundle(this.baseUrl, resourceType, this.store.type(resourceType), query);
  }

  // ---- search -------------------------------------------------------------------------------

  async search<T extends Resource>(searched: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const include = searched.include?.filter((i) => !this.ignoredIncludes.has(`${i.resourceType}:${i.searchParam}`));
    const req: SearchRequest<T> = include?.length ? { ...searched, include } : { ...searched, include: undefined };
    const plan = planIndexedSearch(this.store, req, this.baseUrl);
    let matches: Resource[];
    let total: number | undefined;
    let next: Partial<SearchRequest> | undefined;
    if (plan) {
      const page = runIndexedSearch(this.store, req, plan);
      ({ resources: matches, total } = page);
      next = page.nextCursor ? { cursor: page.nextCursor, offset: undefined } : undefined;
    } else {
      // Medplum scans the type; we only add the page size and offset paging.
      const offset = req.offset ?? 0;
      const count = pageSize(req);
      const bundle = await this.inner.search({ ...req, count, offset, include: undefined, revInclude: undefined });
      matches = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
      total = bundle.total;
      next = total !== undefined && offset + count < total && count > 0 ? { offset: offset + count } : undefined;
    }
    const extra: BundleEntry[] = [];
    if (req.include?.length && !req.revInclude?.length && matches.length && canIncludeFast(req.include)) {
      const read = (type: string, id: string) => this.readResource(type, id).catch(() => null);
      extra.push(...(await includeFast(req.include, matches, read, (type, id) => fullUrl(this.baseUrl, type, id))));
    } else if ((req.include || req.revInclude) && matches.length) {
      await getExtraEntries(this, req, matches as T[], extra, {
        fullUrl: (type, id) => fullUrl(this.baseUrl, type, id),
        executeSearch: (sub) => this.searchResources({ ...sub, count: Math.min(sub.count ?? 1000, 1000) }),
      });
    }
    return searchset(this.baseUrl, req, matches, extra, total, next) as Bundle<WithId<T>>;
  }

  async searchByReference<T extends Resource>(req: SearchRequest<T>, referenceField: string, references: string[]): Promise<Record<string, WithId<T>[]>> {
    const out: Record<string, WithId<T>[]> = {};
    for (const ref of references) {
      const filters = [...(req.filters ?? []), { code: referenceField, operator: 'eq' as const, value: ref }];
      out[ref] = await this.searchResources({ ...req, filters });
    }
    return out;
  }
}
