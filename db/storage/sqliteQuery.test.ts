import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fillWithDefaultSettings,
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuery,
  type MangoQuerySelector,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSQLite } from './index.ts';

/**
 * Differential test: random documents and random queries must give exactly
 * what RxDB's own memory storage gives for the same query plan. This checks
 * the SQL range scans (bounds, inclusivity, index string byte order).
 */
type Row = { id: string; name: string; age: number; score: number; active: boolean; nested: { tag: string } };

const schema = fillWithDefaultSettings<Row>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 12 },
    name: { type: 'string', maxLength: 8 },
    age: { type: 'integer', minimum: 0, maximum: 120, multipleOf: 1 },
    score: { type: 'number', minimum: -50, maximum: 50, multipleOf: 0.01 },
    active: { type: 'boolean' },
    nested: { type: 'object', properties: { tag: { type: 'string', maxLength: 6 } }, required: ['tag'] },
  },
  required: ['id', 'name', 'age', 'score', 'active', 'nested'],
  indexes: ['name', 'age', ['active', 'score'], ['nested.tag', 'age'], 'score'],
}) as RxJsonSchema<RxDocumentData<Row>>;

// Characters chosen to stress byte order: control chars, spaces, accents,
// surrogate pairs (emoji) and characters above U+E000.
const ALPHABET = ['a', 'b', 'B', ' ', '\t', 'é', 'z', '😀', '\uE000', '\uFFFD', '0'];

function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const random = makeRandom(42);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const randomString = (max: number): string => {
  let s = '';
  const length = Math.floor(random() * max);
  while (s.length < length) {
    const next = pick(ALPHABET);
    if (s.length + next.length <= max) s += next;
    else break;
  }
  return s;
};

function randomDoc(i: number): RxDocumentData<Row> {
  return {
    id: `d${String(i).padStart(4, '0')}`,
    name: randomString(6),
    age: Math.floor(random() * 121),
    score: Math.round((random() * 100 - 50) * 100) / 100,
    active: random() < 0.5,
    nested: { tag: randomString(4) },
    _deleted: random() < 0.1,
    _rev: '1-abc',
    // Pairs of equal lwt (ties broken by id), some with a fraction.
    _meta: { lwt: 1_700_000_000_000 + Math.floor(i / 2) + (i % 5 === 0 ? 0.25 : 0) },
    _attachments: {},
  };
}

function randomSelector(docs: RxDocumentData<Row>[]): MangoQuerySelector<Row> {
  const sample = pick(docs);
  const selectors: (() => MangoQuerySelector<Row>)[] = [
    () => ({ age: { [pick(['$gt', '$gte', '$lt', '$lte', '$eq'])]: sample.age } }),
    () => ({ age: { $gte: Math.min(sample.age, 60), $lt: Math.max(sample.age, 60) } }),
    () => ({ name: { [pick(['$gt', '$gte', '$lt', '$lte', '$eq'])]: sample.name } }),
    () => ({ name: { $in: [sample.name, pick(docs).name] } }),
    () => ({ score: { [pick(['$gt', '$lte'])]: sample.score }, active: { $eq: sample.active } }),
    () => ({ 'nested.tag': { $eq: sample.nested.tag }, age: { $gt: 30 } }),
    () => ({ name: { $ne: sample.name }, age: { $lte: sample.age } }),
    () => ({ _deleted: { $eq: false }, score: { $gte: sample.score } }),
    () => ({ name: { $regex: '^a' } }),
    // RxDB's ['_meta.lwt', id] index, answered by the native (lwt, id) index.
    () => ({ '_meta.lwt': { [pick(['$gt', '$gte', '$lt', '$lte', '$eq'])]: sample._meta.lwt } }) as MangoQuerySelector<Row>,
    () => ({ '_meta.lwt': { $gte: sample._meta.lwt, $lt: sample._meta.lwt + 40 } }) as MangoQuerySelector<Row>,
    () => ({}),
  ];
  return pick(selectors)();
}

function randomQuery(docs: RxDocumentData<Row>[]): MangoQuery<Row> {
  const sortField = pick(['age', 'name', 'score', 'id', 'nested.tag', '_meta.lwt'] as const);
  const query: MangoQuery<Row> = {
    selector: randomSelector(docs),
    sort: [{ [sortField]: pick(['asc', 'desc'] as const) }] as MangoQuery<Row>['sort'],
  };
  if (random() < 0.5) query.limit = 1 + Math.floor(random() * 20);
  if (random() < 0.3) query.skip = Math.floor(random() * 10);
  return query;
}

let memory: RxStorageInstance<Row, unknown, unknown>;
let sqlite: RxStorageInstance<Row, unknown, unknown>;
const docs = Array.from({ length: 400 }, (_, i) => randomDoc(i));

beforeAll(async () => {
  const params = {
    databaseInstanceToken: 'tok',
    databaseName: `diff${Date.now()}`,
    collectionName: 'rows',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  };
  memory = await getRxStorageMemory().createStorageInstance<Row>(params);
  sqlite = await getRxStorageSQLite({ directory: ':memory:' }).createStorageInstance<Row>(params);
  for (const instance of [memory, sqlite]) {
    const result = await instance.bulkWrite(docs.map((document) => ({ document })), 'seed');
    expect(result.error).toEqual([]);
  }
});
afterAll(async () => {
  await memory.remove();
  await sqlite.close();
});

describe('query and count match RxDB memory storage', () => {
  it('for 300 random queries', async () => {
    for (let i = 0; i < 300; i++) {
      const mango = randomQuery(docs);
      const prepared = prepareQuery(schema, normalizeMangoQuery(schema, mango));
      const [expected, actual] = await Promise.all([memory.query(prepared), sqlite.query(prepared)]);
      const label = JSON.stringify({ mango, plan: prepared.queryPlan });
      expect(actual.documents.map((d) => d.id), label).toEqual(expected.documents.map((d) => d.id));
      const countable = prepareQuery(schema, normalizeMangoQuery(schema, { selector: mango.selector ?? {} }));
      const [expectedCount, actualCount] = await Promise.all([memory.count(countable), sqlite.count(countable)]);
      expect(actualCount.count, label).toBe(expectedCount.count);
    }
  });
});
