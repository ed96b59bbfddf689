import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { getRxStorageSQLite, SQLiteStorageError, type SQLiteStorageSettings } from './index.ts';

type Person = { id: string; name: string; age: number; city?: string };

const personSchema: RxJsonSchema<Person> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    name: { type: 'string', maxLength: 100 },
    age: { type: 'integer', minimum: 0, maximum: 150, multipleOf: 1 },
    city: { type: 'string', maxLength: 60 },
  },
  required: ['id', 'name', 'age'],
  indexes: ['name', 'age', ['city', 'age']],
};

let dir = '';
const openDatabases: RxDatabase[] = [];

async function openDb(settings: Partial<SQLiteStorageSettings> = {}, name = 'people'): Promise<RxCollection<Person>> {
  const storage = wrappedValidateAjvStorage({ storage: getRxStorageSQLite({ directory: dir, ...settings }) });
  const db = await createRxDatabase({ name, storage, multiInstance: false, ignoreDuplicate: true });
  openDatabases.push(db);
  const collections = await db.addCollections({ persons: { schema: personSchema } });
  return collections.persons as RxCollection<Person>;
}

async function closeAll(): Promise<void> {
  while (openDatabases.length > 0) {
    await openDatabases.pop()?.close();
  }
}

beforeAll(() => {
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-sqlite-'));
});
afterEach(async () => {
  await closeAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('getRxStorageSQLite through a real RxDB database', () => {
  it('is named onscene-sqlite and writes one file per database', async () => {
    expect(getRxStorageSQLite({ directory: dir }).name).toBe('onscene-sqlite');
    await openDb();
    expect(fs.existsSync(path.join(dir, 'people.sqlite'))).toBe(true);
  });

  it('inserts, finds by index, updates and removes', async () => {
    const persons = await openDb();
    await persons.bulkInsert([
      { id: 'a', name: 'Alice', age: 30, city: 'Leeds' },
      { id: 'b', name: 'Bob', age: 25, city: 'York' },
      { id: 'c', name: 'Carol', age: 41, city: 'Leeds' },
    ]);
    const adults = await persons.find({ selector: { age: { $gte: 30 } }, sort: [{ age: 'asc' }] }).exec();
    expect(adults.map((d) => d.id)).toEqual(['a', 'c']);
    const inLeeds = await persons.find({ selector: { city: 'Leeds' }, sort: [{ age: 'desc' }] }).exec();
    expect(inLeeds.map((d) => d.id)).toEqual(['c', 'a']);
    expect(await persons.count({ selector: { city: 'Leeds' } }).exec()).toBe(2);

    const bob = await persons.findOne('b').exec(true);
    await bob.incrementalPatch({ age: 26 });
    expect((await persons.findOne('b').exec(true)).age).toBe(26);

    await (await persons.findOne('a').exec(true)).remove();
    expect(await persons.findOne('a').exec()).toBeNull();
    expect((await persons.find().exec()).map((d) => d.id).sort()).toEqual(['b', 'c']);
  });

  it('reports a 409 conflict carrying the stored document', async () => {
    const persons = await openDb();
    await persons.insert({ id: 'x', name: 'Xena', age: 33 });
    const stale = await persons.findOne('x').exec(true);
    await stale.incrementalPatch({ age: 34 });
    // `stale` still holds the old revision, so a plain patch must conflict.
    await expect(stale.patch({ age: 35 })).rejects.toMatchObject({ code: 'CONFLICT' });
    const result = await persons.storageInstance.bulkWrite(
      [{ previous: stale.toMutableJSON(true) as never, document: { ...stale.toMutableJSON(true), age: 36 } as never }],
      'test',
    );
    expect(result.error[0]?.status).toBe(409);
    expect((result.error[0] as { documentInDb?: Person }).documentInDb?.age).toBe(34);
  });

  it('keeps data across close and reopen of the file', async () => {
    const persons = await openDb();
    await persons.insert({ id: 'p', name: 'Pat', age: 50, city: 'Hull' });
    await closeAll();
    const reopened = await openDb();
    const pat = await reopened.findOne('p').exec(true);
    expect(pat.toJSON()).toMatchObject({ name: 'Pat', age: 50, city: 'Hull' });
    expect(await reopened.count({ selector: { city: 'Hull' } }).exec()).toBe(1);
  });

  it('encrypts the file: stored text is not in the raw bytes and the key reopens it', async () => {
    const marker = 'Zebedee-Quartermaine';
    const persons = await openDb({ key: 'correct horse battery staple' });
    await persons.insert({ id: 'e', name: marker, age: 20 });
    await closeAll();
    const bytes = Buffer.concat(
      ['', '-wal'].map((s) => path.join(dir, `people.sqlite${s}`)).filter(fs.existsSync).map((f) => fs.readFileSync(f)),
    );
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(marker))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const reopened = await openDb({ key: 'correct horse battery staple' });
    expect((await reopened.findOne('e').exec(true)).name).toBe(marker);
  });

  it('fails with a typed error for a wrong key, never an empty database', async () => {
    await openDb({ key: 'right' });
    await closeAll();
    const error: unknown = await openDb({ key: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SQLiteStorageError);
    expect((error as SQLiteStorageError).code).toBe('wrong-key');
    const noKey: unknown = await openDb().catch((e: unknown) => e);
    expect((noKey as SQLiteStorageError).code).toBe('not-a-database');
  });
});
