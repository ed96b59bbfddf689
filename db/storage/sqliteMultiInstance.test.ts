import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { getRxStorageSQLite } from './index.ts';

type Note = { id: string; text: string };
const noteSchema: RxJsonSchema<Note> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 20 }, text: { type: 'string', maxLength: 200 } },
  required: ['id', 'text'],
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-sqlite-multi-'));
const opened: RxDatabase[] = [];

/** Each call uses its own storage object, hence its own SQLite connection. */
async function open(name: string): Promise<RxCollection<Note>> {
  const db = await createRxDatabase({
    name,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageSQLite({ directory: dir }) }),
    multiInstance: true,
    ignoreDuplicate: true,
  });
  opened.push(db);
  const { notes } = await db.addCollections({ notes: { schema: noteSchema } });
  return notes as RxCollection<Note>;
}

// Two RxDatabases of one name in one process is allowed only in dev-mode.
beforeAll(() => {
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
});
afterEach(async () => {
  while (opened.length > 0) {
    await opened.pop()?.close();
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('two instances on the same file', () => {
  it('see each other\'s writes and get change events', async () => {
    const a = await open('shared');
    const b = await open('shared');
    const seenByB = firstValueFrom(b.$.pipe(filter((event) => event.documentId === 'n1')));
    await a.insert({ id: 'n1', text: 'written by A' });
    const event = await seenByB;
    expect(event.operation).toBe('INSERT');
    expect((await b.findOne('n1').exec(true)).text).toBe('written by A');

    await (await b.findOne('n1').exec(true)).incrementalPatch({ text: 'changed by B' });
    await expect.poll(async () => (await a.findOne('n1').exec(true)).text).toBe('changed by B');
  });

  it('detect a conflict against a write from the other connection', async () => {
    const a = await open('shared2');
    const b = await open('shared2');
    await a.insert({ id: 'n2', text: 'v1' });
    const stale = await a.storageInstance.findDocumentsById(['n2'], false);
    await (await b.findOne('n2').exec(true)).incrementalPatch({ text: 'v2 from B' });
    const doc = stale[0];
    if (doc === undefined) throw new Error('missing');
    const result = await a.storageInstance.bulkWrite(
      [{ previous: doc, document: { ...doc, text: 'v2 from A', _rev: '2-aaaa', _meta: { lwt: Date.now() } } }],
      'test',
    );
    expect(result.error[0]?.status).toBe(409);
  });
});
