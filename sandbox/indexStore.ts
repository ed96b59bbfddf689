import type { Resource } from '@medplum/fhirtypes';
import { type IndexedCode, ParamExtractors } from './paramIndex';

/** One stored version of a resource; deletions are versions with no content. */
export type Version = Readonly<{
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdatedMs: number;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The resource as JSON (compact: a string costs far less memory than an object); null for DELETE. */
  json: string | null;
}>;

/** Current state of one id: its latest version and every version before it. */
export type Entry = {
  readonly id: string;
  latest: Version;
  versions: Version[];
  keys: Map<IndexedCode, string[]>;
};

export function isLive(entry: Entry | undefined): entry is Entry {
  return entry !== undefined && entry.latest.method !== 'DELETE';
}

/** Orders versions by (lastUpdated, id): the sync cursor order. */
export function compareKey(aMs: number, aId: string, bMs: number, bId: string): number {
  return aMs - bMs || (aId < bId ? -1 : aId > bId ? 1 : 0);
}

/**
 * Per-type indexes: live entries sorted by (lastUpdated, id), a value index per indexed
 * parameter, and the append-only type history. Medplum's MemoryRepository keeps none of
 * these, so it scans and sorts a whole type for every search.
 */
export class TypeIndex {
  readonly byId = new Map<string, Entry>();
  /** Live entries ordered by compareKey. */
  readonly sorted: Entry[] = [];
  /** Every version ever written, in write order (which is lastUpdated order: the clock is monotonic). */
  readonly log: Version[] = [];
  private readonly values = new Map<IndexedCode, Map<string, Set<string>>>();

  /** First position in `sorted` whose key is >= (ms, id). */
  lowerBound(ms: number, id: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.sorted[mid] as Entry;
      if (compareKey(e.latest.lastUpdatedMs, e.id, ms, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position in `log` with lastUpdatedMs >= ms. */
  logLowerBound(ms: number): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.log[mid] as Version).lastUpdatedMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  idsFor(code: IndexedCode, key: string): ReadonlySet<string> | undefined {
    return this.values.get(code)?.get(key);
  }

  unlink(entry: Entry): void {
    if (isLive(entry)) {
      const at = this.lowerBound(entry.latest.lastUpdatedMs, entry.id);
      if (this.sorted[at] === entry) this.sorted.splice(at, 1);
    }
    for (const [code, keys] of entry.keys) {
      const byKey = this.values.get(code);
      for (const key of keys) {
        const ids = byKey?.get(key);
        ids?.delete(entry.id);
        if (ids?.size === 0) byKey?.delete(key);
      }
    }
  }

  link(entry: Entry): void {
    if (isLive(entry)) {
      const last = this.sorted.at(-1);
      // New writes carry the newest timestamp, so this is almost always an O(1) append.
      if (!last || compareKey(last.latest.lastUpdatedMs, last.id, entry.latest.lastUpdatedMs, entry.id) < 0) this.sorted.push(entry);
      else this.sorted.splice(this.lowerBound(entry.latest.lastUpdatedMs, entry.id), 0, entry);
    }
    for (const [code, keys] of entry.keys) {
      let byKey = this.values.get(code);
      if (!byKey) this.values.set(code, (byKey = new Map()));
      for (const key of keys) {
        let ids = byKey.get(key);
        if (!ids) byKey.set(key, (ids = new Set()));
        ids.add(entry.id);
      }
    }
  }
}

/** A saved state of one id, enough to undo writes made after it (transactions). */
export type EntrySnapshot = Readonly<{ resourceType: string; id: string; entry: Entry | undefined; versionCount: number; logLength: number }>;

export class IndexStore {
  private readonly types = new Map<string, TypeIndex>();
  readonly extractors = new ParamExtractors();

  type(resourceType: string): TypeIndex {
    let t = this.types.get(resourceType);
    if (!t) this.types.set(resourceType, (t = new TypeIndex()));
    return t;
  }

  get(resourceType: string, id: string): Entry | undefined {
    return this.types.get(resourceType)?.byId.get(id);
  }

  /** Records a new version (create, update or delete) and re-indexes the id. */
  record(version: Version, resource: Resource | undefined): void {
    const t = this.type(version.resourceType);
    const existing = t.byId.get(version.id);
    if (existing) t.unlink(existing);
    const entry: Entry = existing ?? { id: version.id, latest: version, versions: [], keys: new Map() };
    entry.latest = version;
    entry.versions.push(version);
    entry.keys = resource ? this.extractors.keysOf(resource) : new Map();
    t.byId.set(version.id, entry);
    t.log.push(version);
    t.link(entry);
  }

  snapshot(resourceType: string, id: string): EntrySnapshot {
    const t = this.type(resourceType);
    const entry = t.byId.get(id);
    const copy = entry ? { ...entry, keys: new Map(entry.keys) } : undefined;
    return { resourceType, id, entry: copy, versionCount: entry?.versions.length ?? 0, logLength: t.log.length };
  }

  /** Puts an id back as it was at `snap`; used in reverse order to undo a failed transaction. */
  restore(snap: EntrySnapshot): void {
    const t = this.type(snap.resourceType);
    const current = t.byId.get(snap.id);
    if (current) t.unlink(current);
    t.log.length = Math.min(t.log.length, snap.logLength);
    if (!snap.entry) {
      t.byId.delete(snap.id);
      return;
    }
    const entry: Entry = { ...snap.entry, versions: snap.entry.versions.slice(0, snap.versionCount) };
    t.byId.set(snap.id, entry);
    t.link(entry);
  }

  resourceCount(): number {
    let n = 0;
    for (const t of this.types.values()) n += t.sorted.length;
    return n;
  }

  countOf(resourceType: string): number {
    return this.types.get(resourceType)?.sorted.length ?? 0;
  }
}
