import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RxCollection, type RxJsonSchema, createRxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStoreRxPlugins, checkMigrationStrategies } from './rxMigrations';
import type { CollectionMigrationStrategies } from './schemas';
import { openConnection } from './storage/connection';
import { getRxStorageSQLite } from './storage/index';

// A test-only collection on our SQLite storage in a real encrypted file: version 0 is written,
// then the same file is reopened with version 1 and a strategy, as a new build would.
const KEY = '9'.repeat(64);
let dir: string;

type NoteV0 = { id: string; text: string; createdAt: number };
type NoteV1 = { id: string; text: string; createdAt: string; words: number };

const noteV0: RxJsonSchema<NoteV0> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 40 }, text: { type: 'string' }, createdAt: { type: 'number', minimum: 0, maximum: 1e13, multipleOf: 1 } },
  required: ['id', 'text', 'createdAt'],
  indexes: ['createdAt'],
  additionalProperties: false,
};
const noteV1: RxJsonSchema<NoteV1> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    text: { type: 'string' },
    createdAt: { type: 'string', maxLength: 40 },
    words: { type: 'number', minimum: 0, maximum: 1e6, multipleOf: 1 },
  },
  required: ['id', 'text', 'createdAt', 'words'],
  indexes: ['createdAt', 'words'],
  additionalProperties: false,
};
const toV1: CollectionMigrationStrategies = {
  1: (old) => {
    const text = String(old.text);
    // Drops the empty notes: a strategy may return null.
    if (text.length === 0) return null;
    return { ...old, createdAt: new Date(Number(old.createdAt)).toISOString(), words: text.split(/\s+/).length };
  },
};

async function openNotes<Doc>(schema: RxJsonSchema<Doc>, migrationStrategies: CollectionMigrationStrategies) {
  addStoreRxPlugins();
  const db = await createRxDatabase<{ notes: RxCollection<Doc> }>({
    name: 'notes',
    storage: getRxStorageSQLite({ directory: dir, key: KEY }),
    multiInstance: false,
  });
  await db.addCollections({ notes: { schema, migrationStrategies } });
  return db;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-rx-migrate-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('RxDB schema migration on our SQLite storage', () => {
  it('reopens version 0 documents as version 1 through the strategy', async () => {
    const v0 = await openNotes(noteV0, {});
    await v0.notes.bulkInsert([
      { id: 'n1', text: 'crew on scene', createdAt: Date.UTC(2026, 0, 1) },
      { id: 'n2', text: 'handover done at ED', createdAt: Date.UTC(2026, 0, 2) },
      { id: 'n3', text: '', createdAt: Date.UTC(2026, 0, 3) },
    ]);
    await v0.close();

    const v1 = await openNotes(noteV1, toV1);
    const notes = (await v1.notes.find({ sort: [{ createdAt: 'asc' }] }).exec()).map((d) => d.toJSON());
    expect(notes.map(({ id, createdAt, words }) => ({ id, createdAt, words }))).toEqual([
      { id: 'n1', createdAt: '2026-01-01T00:00:00.000Z', words: 3 },
      { id: 'n2', createdAt: '2026-01-02T00:00:00.000Z', words: 4 },
    ]);
    // The new index answers queries on the migrated documents.
    expect((await v1.notes.find({ selector: { words: { $gt: 3 } } }).exec()).map((d) => d.id)).toEqual(['n2']);
    await v1.notes.insert({ id: 'n4', text: 'new', createdAt: '2026-01-04T00:00:00.000Z', words: 1 });
    await v1.close();

    // In the file: the version 1 table holds the documents; the version 0 table and the
    // migration's bookkeeping table are gone.
    const { db: file } = openConnection({ directory: dir, key: KEY }, 'notes');
    try {
      const tables = file.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rxdb_%' ORDER BY name").pluck().all();
      expect(tables).toContain('rxdb_notes_v1');
      expect(tables).not.toContain('rxdb_notes_v0');
      expect(tables.filter((t) => String(t).includes('migration'))).toEqual([]);
      expect(file.prepare('SELECT count(*) FROM rxdb_notes_v1 WHERE deleted = 0').pluck().get()).toBe(3);
    } finally {
      file.close();
    }
    const again = await openNotes(noteV1, toV1); // a second open has nothing left to migrate
    expect(await again.notes.count().exec()).toBe(3);
    await again.close();
  });
});

describe('checkMigrationStrategies', () => {
  it('wants exactly one strategy per version above 0', () => {
    expect(() => checkMigrationStrategies('c', { version: 0 }, {})).not.toThrow();
    expect(() => checkMigrationStrategies('c', { version: 2 }, { 1: (d) => d, 2: (d) => d })).not.toThrow();
    expect(() => checkMigrationStrategies('c', { version: 2 }, { 2: (d) => d })).toThrow(/needs migration strategies 1..2, has \[2\]/);
    expect(() => checkMigrationStrategies('c', { version: 0 }, { 1: (d) => d })).toThrow(/collection c/);
  });
});
