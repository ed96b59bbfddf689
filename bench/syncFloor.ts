import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';

/**
 * The floor for the sync benchmark: the same pages fetched with plain fetch and written with raw
 * better-sqlite3 into an encrypted file (same cipher and durability as our store), one transaction per page.
 * No validation, no checkpoints, no scopes: what the hardware and the server allow at best.
 */
export async function floorSync(baseUrl: string, types: readonly string[], pageSize: number, directory: string): Promise<{ resources: number; bytes: number; pages: number }> {
  const db = new Database(path.join(directory, 'floor.sqlite'));
  db.pragma(`cipher='chacha20'`);
  db.key(Buffer.from('f'.repeat(64), 'utf8'));
  // The same durability as our store (db/storage/connection.ts): a committed page survives power loss.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS resources (key TEXT PRIMARY KEY, type TEXT NOT NULL, last_updated TEXT NOT NULL, json TEXT NOT NULL)');
  const insert = db.prepare('INSERT OR REPLACE INTO resources (key, type, last_updated, json) VALUES (?, ?, ?, ?)');
  type Entry = { resource?: { resourceType: string; id: string; meta?: { lastUpdated?: string } } };
  const writePage = db.transaction((entries: readonly Entry[]) => {
    for (const { resource: r } of entries) if (r) insert.run(`${r.resourceType}/${r.id}`, r.resourceType, r.meta?.lastUpdated ?? '', JSON.stringify(r));
  });
  let resources = 0;
  let bytes = 0;
  let pages = 0;
  try {
    for (const type of types) {
      let url: string | undefined = `${baseUrl}/${type}?_sort=_lastUpdated&_count=${pageSize}`;
      while (url) {
        const response = await fetch(url, { headers: { accept: 'application/fhir+json', 'accept-encoding': 'gzip' } });
        const text = await response.text();
        bytes += Number(response.headers.get('content-length') ?? '') || Buffer.byteLength(text);
        const bundle = JSON.parse(text) as { entry?: Entry[]; link?: { relation: string; url: string }[] };
        writePage(bundle.entry ?? []);
        resources += bundle.entry?.length ?? 0;
        pages++;
        url = bundle.link?.find((l) => l.relation === 'next')?.url;
      }
    }
  } finally {
    db.close();
  }
  return { resources, bytes, pages };
}
