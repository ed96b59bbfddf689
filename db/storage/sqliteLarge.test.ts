import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fillWithDefaultSettings,
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { getRxStorageSQLite, type RxStorageInstanceSQLite } from './index.ts';

type Visit = { id: string; postcode: string; bornYear: number; open: boolean };
const COUNT = 100_000;

const schema = fillWithDefaultSettings<Visit>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 12 },
    postcode: { type: 'string', maxLength: 8 },
    bornYear: { type: 'integer', minimum: 1900, maximum: 2100, multipleOf: 1 },
    open: { type: 'boolean' },
  },
  required: ['id', 'postcode', 'bornYear', 'open'],
  indexes: ['postcode', ['bornYear', 'postcode'], 'open'],
}) as RxJsonSchema<RxDocumentData<Visit>>;

function visit(i: number): RxDocumentData<Visit> {
  return {
    id: `v${String(i).padStart(6, '0')}`,
    postcode: `LS${i % 97} ${i % 10}AB`,
    bornYear: 1920 + (i % 100),
    open: i % 3 === 0,
    _deleted: false,
    _rev: '1-large',
    _meta: { lwt: 1_700_000_000_000 + i },
    _attachments: {},
  };
}

const all = Array.from({ length: COUNT }, (_, i) => visit(i));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-sqlite-large-'));
let instance: RxStorageInstanceSQLite<Visit>;

const prepared = (mango: MangoQuery<Visit>) => prepareQuery(schema, normalizeMangoQuery(schema, mango));

beforeAll(async () => {
  instance = await getRxStorageSQLite({ directory: dir }).createStorageInstance<Visit>({
    databaseInstanceToken: 'large',
    databaseName: 'large',
    collectionName: 'visits',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  });
  const result = await instance.bulkWrite(all.map((document) => ({ document })), 'seed');
  expect(result.error).toEqual([]);
}, 60_000);
afterAll(async () => {
  await instance.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('100k documents in one collection', () => {
  it('answers an indexed equality query with a range scan', async () => {
    const query = prepared({ selector: { postcode: 'LS5 5AB' }, sort: [{ postcode: 'asc' }, { id: 'asc' }] });
    expect(instance.explainQuery(query).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    const expected = all.filter((v) => v.postcode === 'LS5 5AB').map((v) => v.id);
    const result = await instance.query(query);
    expect(result.documents.map((d) => d.id)).toEqual(expected);
    expect((await instance.count(query)).count).toBe(expected.length);
  });

  it('answers a compound range with sort and limit', async () => {
    const query = prepared({
      selector: { bornYear: { $gte: 1950, $lt: 1953 } },
      sort: [{ bornYear: 'asc' }, { postcode: 'asc' }],
      limit: 25,
      skip: 10,
    });
    expect(instance.explainQuery(query).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    const expected = all
      .filter((v) => v.bornYear >= 1950 && v.bornYear < 1953)
      .sort((a, b) => a.bornYear - b.bornYear || (a.postcode < b.postcode ? -1 : a.postcode > b.postcode ? 1 : 0) || (a.id < b.id ? -1 : 1))
      .slice(10, 35)
      .map((v) => v.id);
    const result = await instance.query(query);
    expect(result.documents.map((d) => d.id)).toEqual(expected);
  });

  it('counts a boolean index range in SQL', async () => {
    const query = prepared({ selector: { open: true } });
    expect((await instance.count(query)).count).toBe(all.filter((v) => v.open).length);
  });

  it('pages all changes in (lwt, id) order', async () => {
    let checkpoint: { id: string; lwt: number } | undefined;
    let seen = 0;
    for (;;) {
      const page = await instance.getChangedDocumentsSince(20_000, checkpoint);
      if (page.documents.length === 0) break;
      expect(page.documents[0]?.id).toBe(all[seen]?.id);
      seen += page.documents.length;
      checkpoint = page.checkpoint;
    }
    expect(seen).toBe(COUNT);
  });
});
