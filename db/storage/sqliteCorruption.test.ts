import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillWithDefaultSettings, normalizeMangoQuery, prepareQuery, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { getRxStorageSQLite, SQLiteStorageError, type SQLiteStorageSettings } from './index.ts';

type Rec = { id: string; body: string };
const schema = fillWithDefaultSettings<Rec>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 10 }, body: { type: 'string', maxLength: 2000 } },
  required: ['id', 'body'],
  indexes: ['body'],
}) as RxJsonSchema<RxDocumentData<Rec>>;

let dir = '';
const file = () => path.join(dir, 'rec.sqlite');

function open(settings: Partial<SQLiteStorageSettings> = {}) {
  return getRxStorageSQLite({ directory: dir, ...settings }).createStorageInstance<Rec>({
    databaseInstanceToken: 't',
    databaseName: 'rec',
    collectionName: 'recs',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  });
}

async function seed(settings: Partial<SQLiteStorageSettings> = {}): Promise<void> {
  const instance = await open(settings);
  const docs = Array.from({ length: 2000 }, (_, i) => ({
    document: {
      id: `r${i}`,
      body: `record ${i} `.repeat(20),
      _deleted: false,
      _rev: '1-x',
      _meta: { lwt: 1_700_000_000_000 + i },
      _attachments: {},
    },
  }));
  await instance.bulkWrite(docs, 'seed');
  await instance.close();
}

/** Opens the file and reads every document; returns the error, if any. */
async function openAndReadAll(settings: Partial<SQLiteStorageSettings> = {}): Promise<unknown> {
  try {
    const instance = await open(settings);
    try {
      await instance.query(prepareQuery(schema, normalizeMangoQuery(schema, { selector: {} })));
      await instance.count(prepareQuery(schema, normalizeMangoQuery(schema, { selector: { body: { $regex: 'x' } } })));
    } finally {
      await instance.close();
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

function overwrite(offset: number, length: number): void {
  const fd = fs.openSync(file(), 'r+');
  fs.writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  fs.closeSync(fd);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-sqlite-corrupt-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('damaged files give a typed error', () => {
  it('truncated file -> corrupt', async () => {
    await seed();
    fs.truncateSync(file(), Math.floor(fs.statSync(file()).size / 2));
    const error = await openAndReadAll();
    expect(error).toBeInstanceOf(SQLiteStorageError);
    expect((error as SQLiteStorageError).code).toBe('corrupt');
  });

  it('garbage pages in the middle -> corrupt', async () => {
    await seed();
    const size = fs.statSync(file()).size;
    overwrite(Math.floor(size / 2 / 4096) * 4096, 8 * 4096);
    const error = await openAndReadAll();
    expect(error).toBeInstanceOf(SQLiteStorageError);
    expect((error as SQLiteStorageError).code).toBe('corrupt');
  });

  it('a file that is not a database -> not-a-database', async () => {
    fs.writeFileSync(file(), Buffer.alloc(10_000, 0x41));
    const error = await openAndReadAll();
    expect((error as SQLiteStorageError).code).toBe('not-a-database');
  });

  it('damaged encrypted file -> typed error, never silent data', async () => {
    await seed({ key: 'k1' });
    const size = fs.statSync(file()).size;
    overwrite(Math.floor(size / 2 / 4096) * 4096, 4096);
    const error = await openAndReadAll({ key: 'k1' });
    expect(error).toBeInstanceOf(SQLiteStorageError);
    expect(['corrupt', 'wrong-key']).toContain((error as SQLiteStorageError).code);
  });

  it('an encrypted file opened without a key -> typed error', async () => {
    await seed({ key: 'k1' });
    const error = await openAndReadAll();
    expect((error as SQLiteStorageError).code).toBe('not-a-database');
  });

  it('a plain file opened with a key -> wrong-key', async () => {
    await seed();
    const error = await openAndReadAll({ key: 'k1' });
    expect((error as SQLiteStorageError).code).toBe('wrong-key');
  });
});
