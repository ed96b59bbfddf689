import { type RxJsonSchema, addRxPlugin } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { CollectionMigrationStrategies } from './schemas';

/**
 * Registers RxDB's open-source schema migration plugin (https://rxdb.info/migration-schema.html).
 * RxDB keeps plugins in its own process-wide registry and addRxPlugin ignores a second call
 * with the same plugin, so this is safe to call on every open.
 */
export function addStoreRxPlugins(): void {
  addRxPlugin(RxDBMigrationSchemaPlugin);
}

/**
 * RxDB only checks that strategies match the schema version in dev-mode, which we do not ship;
 * a gap would fail half-way through a migration on a user's device instead of in tests.
 */
export function checkMigrationStrategies(
  collection: string,
  schema: Pick<RxJsonSchema<unknown>, 'version'>,
  strategies: CollectionMigrationStrategies,
): void {
  const keys = Object.keys(strategies).map(Number).sort((a, b) => a - b);
  const expected = Array.from({ length: schema.version }, (_, i) => i + 1);
  if (keys.length !== expected.length || keys.some((key, i) => key !== expected[i])) {
    throw new Error(`collection ${collection}: schema version ${schema.version} needs migration strategies 1..${schema.version}, has [${keys.join(', ')}]`);
  }
}
