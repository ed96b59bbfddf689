/**
 * Child process for sqliteCrash.test.ts: writes one large bulkWrite and is
 * SIGKILLed in the middle of it, either by itself (deterministic, after
 * KILL_AT rows were written inside the transaction) or by the parent.
 * Usage: node --import tsx crashChild.fixture.ts <directory> <batchSize> <killAt|-1>
 */
import { fillWithDefaultSettings, type RxDocumentData } from 'rxdb';
import { getRxStorageSQLite } from './index.ts';

export type CrashDoc = { id: string; n: number };

export const crashSchema = fillWithDefaultSettings<CrashDoc>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 20 }, n: { type: 'integer', minimum: 0, maximum: 10_000_000, multipleOf: 1 } },
  required: ['id', 'n'],
  indexes: ['n'],
});

export function crashDoc(prefix: string, i: number): RxDocumentData<CrashDoc> {
  return { id: `${prefix}${i}`, n: i, _deleted: false, _rev: '1-crash', _meta: { lwt: 1_700_000_000_000 + i }, _attachments: {} };
}

async function main(): Promise<void> {
  const [directory, batchArg, killArg] = process.argv.slice(2);
  if (directory === undefined) throw new Error('directory missing');
  const batchSize = Number(batchArg);
  const killAt = Number(killArg);
  const instance = await getRxStorageSQLite({ directory }).createStorageInstance<CrashDoc>({
    databaseInstanceToken: 'crash',
    databaseName: 'crash',
    collectionName: 'docs',
    schema: crashSchema,
    options: {},
    multiInstance: false,
    devMode: false,
  });
  await instance.bulkWrite([{ document: crashDoc('committed-', 0) }], 'before');
  const rows = Array.from({ length: batchSize }, (_, i) => {
    const document = crashDoc('batch-', i);
    if (i === killAt) {
      // Our storage serializes each row with JSON.stringify inside the
      // transaction, so this runs with earlier rows already written.
      Object.defineProperty(document, 'toJSON', {
        enumerable: false,
        value: () => process.kill(process.pid, 'SIGKILL'),
      });
    }
    return { document };
  });
  process.stdout.write('writing\n');
  await instance.bulkWrite(rows, 'batch');
  process.stdout.write('committed\n');
  await instance.close();
}

void main();
