import { randomBytes } from 'node:crypto';
import { openConnection } from '../db/storage/connection';

/** What the store gives its file (db/localStore.ts): the same page cache, so neither side decrypts more than the other. */
export const STORE_CACHE_KIB = 64 * 1024;

type Entry = { resource?: { resourceType: string; id: string; meta?: { lastUpdated?: string } } };
type Page = { entries: Entry[]; next: string | undefined; bytes: number };

async function fetchPage(url: string): Promise<Page> {
  const response = await fetch(url, { headers: { accept: 'application/fhir+json', 'accept-encoding': 'gzip' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`floor: HTTP ${response.status}`);
  const bundle = JSON.parse(text) as { entry?: Entry[]; link?: { relation: string; url: string }[] };
  return {
    entries: bundle.entry ?? [],
    next: bundle.link?.find((l) => l.relation === 'next')?.url,
    bytes: Number(response.headers.get('content-length') ?? '') || Buffer.byteLength(text),
  };
}

/**
 * The floor for the sync benchmark (issue #18: a baseline that differs in cipher, cache or
 * prefetch is not a floor). The same pages as the engine (same types, `_sort`, `_count`), fetched
 * with plain fetch one page ahead as sync/pullType.ts does, written with raw better-sqlite3 into a
 * file opened by the storage's own openConnection with the store's settings: the default cipher
 * (AEGIS-256), a random 256-bit hex data key passed as the store passes it, a 64 MiB page cache,
 * WAL and synchronous=FULL, one transaction per page. No validation, no checkpoints, no scopes,
 * no index tables: what the hardware and the server allow at best.
 */
export async function floorSync(baseUrl: string, types: readonly string[], pageSize: number, directory: string): Promise<{ resources: number; bytes: number; pages: number }> {
  const { db } = openConnection({ directory, key: randomBytes(32).toString('hex'), cacheSizeKiB: STORE_CACHE_KIB }, 'floor');
  db.exec('CREATE TABLE IF NOT EXISTS resources (key TEXT PRIMARY KEY, type TEXT NOT NULL, last_updated TEXT NOT NULL, json TEXT NOT NULL)');
  const insert = db.prepare('INSERT OR REPLACE INTO resources (key, type, last_updated, json) VALUES (?, ?, ?, ?)');
  const writePage = db.transaction((entries: readonly Entry[]) => {
    for (const { resource: r } of entries) if (r) insert.run(`${r.resourceType}/${r.id}`, r.resourceType, r.meta?.lastUpdated ?? '', JSON.stringify(r));
  });
  let resources = 0;
  let bytes = 0;
  let pages = 0;
  try {
    for (const type of types) {
      let pending: Promise<Page> | null = fetchPage(`${baseUrl}/${type}?_sort=_lastUpdated&_count=${pageSize}`);
      while (pending) {
        const page: Page = await pending;
        // Fetch-ahead depth 1, like the engine: the next page is on the wire while this one is written.
        pending = page.next ? fetchPage(page.next) : null;
        pending?.catch(() => undefined);
        writePage.immediate(page.entries);
        bytes += page.bytes;
        resources += page.entries.length;
        pages++;
      }
    }
  } finally {
    db.close();
  }
  return { resources, bytes, pages };
}
