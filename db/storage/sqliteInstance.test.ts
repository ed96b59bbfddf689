import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBlob,
  fillWithDefaultSettings,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageChangeEvent,
} from 'rxdb';
import { getRxStorageSQLite, type RxStorageInstanceSQLite } from './index.ts';

type Item = { key: string; n: number };

const schema = fillWithDefaultSettings<Item>({
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: { type: 'string', maxLength: 20 },
    n: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 1 },
  },
  required: ['key', 'n'],
  indexes: ['n'],
  attachments: {},
}) as RxJsonSchema<RxDocumentData<Item>>;

let dir = '';
let instance: RxStorageInstanceSQLite<Item>;

function doc(key: string, n: number, extra: Partial<RxDocumentData<Item>> = {}): RxDocumentData<Item> {
  return { key, n, _deleted: false, _rev: `1-${randomToken(6)}`, _meta: { lwt: now() }, _attachments: {}, ...extra };
}

function query(mango: MangoQuery<Item>) {
  return prepareQuery(schema, normalizeMangoQuery(schema, mango));
}

async function create(directory = dir): Promise<RxStorageInstanceSQLite<Item>> {
  return getRxStorageSQLite({ directory }).createStorageInstance<Item>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName: 'items',
    schema,
    options: {},
    multiInstance: false,
    devMode: true,
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-sqlite-inst-'));
  instance = await create();
});
afterEach(async () => {
  await instance.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('RxStorageInstanceSQLite', () => {
  it('emits exactly one change event per written document before bulkWrite resolves', async () => {
    const seen: RxStorageChangeEvent<RxDocumentData<Item>>[] = [];
    const sub = instance.changeStream().subscribe((bulk) => seen.push(...bulk.events));
    const pending = instance.bulkWrite([{ document: doc('a', 1) }, { document: doc('b', 2) }], 'ctx');
    const result = await pending;
    expect(result.error).toEqual([]);
    expect(seen.map((e) => [e.documentId, e.operation])).toEqual([['a', 'INSERT'], ['b', 'INSERT']]);
    sub.unsubscribe();
  });

  it('rejects a write without previous for an existing document with 409', async () => {
    const first = doc('a', 1);
    await instance.bulkWrite([{ document: first }], 'ctx');
    const { error } = await instance.bulkWrite([{ document: doc('a', 5) }], 'ctx');
    expect(error[0]?.status).toBe(409);
    expect(error[0] && 'documentInDb' in error[0] ? error[0].documentInDb : undefined).toEqual(first);
    const ok = await instance.bulkWrite([{ previous: first, document: doc('a', 6) }], 'ctx');
    expect(ok.error).toEqual([]);
  });

  it('finds by id with and without deleted documents', async () => {
    await instance.bulkWrite([{ document: doc('a', 1) }, { document: doc('d', 2, { _deleted: true }) }], 'ctx');
    expect((await instance.findDocumentsById(['a', 'd', 'zz'], false)).map((d) => d.key)).toEqual(['a']);
    expect((await instance.findDocumentsById(['a', 'd'], true)).map((d) => d.key).sort()).toEqual(['a', 'd']);
  });

  it('pages changes ordered by (lwt, primary key)', async () => {
    const lwt = now();
    await instance.bulkWrite(
      ['c', 'a', 'b'].map((k) => ({ document: doc(k, 1, { _meta: { lwt } }) })).concat([{ document: doc('0', 1, { _meta: { lwt: lwt + 1 } }) }]),
      'ctx',
    );
    const page1 = await instance.getChangedDocumentsSince(2);
    expect(page1.documents.map((d) => d.key)).toEqual(['a', 'b']);
    const page2 = await instance.getChangedDocumentsSince(10, page1.checkpoint);
    expect(page2.documents.map((d) => d.key)).toEqual(['c', '0']);
    expect(page2.checkpoint).toEqual({ id: '0', lwt: lwt + 1 });
  });

  it('queries with skip and limit and counts', async () => {
    await instance.bulkWrite([5, 3, 9, 1, 7].map((n) => ({ document: doc(`k${n}`, n) })), 'ctx');
    const res = await instance.query(query({ selector: { n: { $gt: 1 } }, sort: [{ n: 'asc' }], skip: 1, limit: 2 }));
    expect(res.documents.map((d) => d.n)).toEqual([5, 7]);
    expect((await instance.count(query({ selector: { n: { $gt: 1 } } }))).count).toBe(4);
  });

  it('purges old tombstones in cleanup', async () => {
    await instance.bulkWrite([{ document: doc('gone', 1, { _deleted: true, _meta: { lwt: now() - 10_000 } }) }], 'ctx');
    await instance.bulkWrite([{ document: doc('fresh', 1, { _deleted: true }) }], 'ctx');
    expect(await instance.cleanup(5_000)).toBe(true);
    expect((await instance.findDocumentsById(['gone', 'fresh'], true)).map((d) => d.key)).toEqual(['fresh']);
  });

  it('stores attachments in their own table', async () => {
    const blob = createBlob('attachment body', 'text/plain');
    const withAtt = doc('att', 1, {
      _attachments: { note: { data: blob, digest: 'd1', length: blob.size, type: 'text/plain' } as never },
    });
    await instance.bulkWrite([{ document: withAtt }], 'ctx');
    const stored = await instance.getAttachmentData('att', 'note', 'd1');
    expect(await stored.text()).toBe('attachment body');
    expect(stored.type).toBe('text/plain');
    await expect(instance.getAttachmentData('att', 'missing', 'x')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('remove() drops only its own tables and keeps the file', async () => {
    const db = path.join(dir, 'db.sqlite');
    await instance.bulkWrite([{ document: doc('a', 1) }], 'ctx');
    await instance.remove();
    expect(fs.existsSync(db)).toBe(true);
    instance = await create();
    expect(await instance.findDocumentsById(['a'], true)).toEqual([]);
  });
});

function sqliteNames(directory: string): string[] {
  const db = new Database(path.join(directory, 'db.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT name FROM sqlite_master ORDER BY name').pluck().all() as string[]);
  } finally {
    db.close();
  }
}

describe('table creation', () => {
  it('creates the tables with the first write; reads before it find nothing; other connections see them', async () => {
    expect(sqliteNames(dir).filter((name) => name.startsWith('rxdb_items'))).toEqual([]);
    const other = await create();
    expect(await instance.findDocumentsById(['a'], true)).toEqual([]);
    expect((await instance.query(query({ selector: {} }))).documents).toEqual([]);
    expect((await instance.count(query({ selector: {} }))).count).toBe(0);
    expect((await instance.getChangedDocumentsSince(10)).documents).toEqual([]);
    expect(await instance.cleanup(0)).toBe(true);
    expect((await other.bulkWrite([{ document: doc('a', 1) }], 'ctx')).error).toEqual([]);
    expect(sqliteNames(dir)).toEqual(expect.arrayContaining(['rxdb_items_v0', 'rxdb_items_v0__attachments', 'rxdb_items_v0:lwt']));
    expect((await instance.findDocumentsById(['a'], false)).map((d) => d.key)).toEqual(['a']);
    expect((await instance.count(query({ selector: { n: { $gte: 0 } } }))).count).toBe(1);
    await other.close();
  });

  it('drops the SQL index of the former _meta.lwt column and answers lwt queries from (lwt, id)', async () => {
    const lwt = now();
    await instance.bulkWrite(['b', 'a', 'c'].map((key, i) => ({ document: doc(key, i, { _meta: { lwt: lwt + (key === 'c' ? 1 : 0) } }) })), 'ctx');
    await instance.close();
    const raw = new Database(path.join(dir, 'db.sqlite'));
    raw.exec('ALTER TABLE "rxdb_items_v0" ADD COLUMN "idx:_meta.lwt,key" BLOB');
    raw.exec('CREATE INDEX "rxdb_items_v0:idx:_meta.lwt,key" ON "rxdb_items_v0" ("idx:_meta.lwt,key")');
    raw.close();
    instance = await create();
    expect(sqliteNames(dir)).not.toContain('rxdb_items_v0:idx:_meta.lwt,key');
    const byLwt = query({ selector: { '_meta.lwt': { $gte: lwt } }, sort: [{ '_meta.lwt': 'desc' }] } as MangoQuery<Item>);
    expect(byLwt.queryPlan.index).toEqual(['_meta.lwt', 'key']);
    expect((await instance.query(byLwt)).documents.map((d) => d.key)).toEqual(['c', 'a', 'b']); // ties by primary key, ascending
    expect((await instance.count(byLwt)).count).toBe(3);
    expect(instance.explainQuery(byLwt).join(' ')).toContain('rxdb_items_v0:lwt');
  });
});

describe('names that differ only in case', () => {
  it('keep collections and index fields apart (SQLite identifiers ignore case)', async () => {
    type CaseDoc = { id: string; name: string; Name: string };
    const caseSchema = fillWithDefaultSettings<CaseDoc>({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 10 },
        name: { type: 'string', maxLength: 10 },
        Name: { type: 'string', maxLength: 10 },
      },
      required: ['id', 'name', 'Name'],
      indexes: ['name', 'Name'],
    }) as RxJsonSchema<RxDocumentData<CaseDoc>>;
    const storage = getRxStorageSQLite({ directory: dir });
    const open = (collectionName: string) =>
      storage.createStorageInstance<CaseDoc>({
        databaseInstanceToken: 't',
        databaseName: 'cases',
        collectionName,
        schema: caseSchema,
        options: {},
        multiInstance: false,
        devMode: false,
      });
    const [lower, upper] = [await open('abc'), await open('aBc')];
    const row = (id: string, name: string, Name: string): RxDocumentData<CaseDoc> => ({
      id, name, Name, _deleted: false, _rev: '1-a', _meta: { lwt: now() }, _attachments: {},
    });
    await lower.bulkWrite([{ document: row('x', 'b', 'a') }, { document: row('y', 'a', 'b') }], 'ctx');
    expect(await upper.findDocumentsById(['x'], true)).toEqual([]);
    const byName = prepareQuery(caseSchema, normalizeMangoQuery(caseSchema, { selector: {}, sort: [{ Name: 'asc' }] }));
    expect((await lower.query(byName)).documents.map((d) => d.id)).toEqual(['x', 'y']);
    await Promise.all([lower.close(), upper.close()]);
  });
});
