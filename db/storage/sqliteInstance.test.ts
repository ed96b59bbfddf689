import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
