import {
  getIndexableStringMonad,
  getPrimaryFieldOfPrimaryKey,
  toArray,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { indexStringToBlob, quoteIdentifier } from './sqlHelpers.ts';

/**
 * One RxDB index mirrored as a column holding RxDB's indexable string
 * (as a UTF-16BE BLOB, see indexStringToBlob) plus an SQL index on it.
 * Because RxDB appends the primary key to every index, each value is unique
 * and ordering by the column alone is deterministic.
 */
export type SqlIndexColumn<RxDocType> = Readonly<{
  /** The index fields, as in the schema (`['_deleted', 'age', 'id']`). */
  fields: readonly string[];
  /** `fields.join(',')`, the key RxDB's query plan uses to name an index. */
  key: string;
  /** Quoted column name, safe to put into SQL text. */
  column: string;
  /** Quoted SQL index name. */
  sqlIndexName: string;
  /** Computes the column value for a document. */
  valueOf: (doc: RxDocumentData<RxDocType>) => Buffer;
}>;

/**
 * The indexes we keep for a schema: all schema indexes (RxDB has already
 * prefixed `_deleted` and appended the primary key) plus the one RxDB's
 * memory storage also adds for cleanup(), de-duplicated.
 */
export function schemaIndexFields<RxDocType>(schema: RxJsonSchema<RxDocumentData<RxDocType>>): string[][] {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const all: string[][] = (schema.indexes ?? []).map((index) => [...toArray(index as string | string[])]);
  all.push(['_deleted', '_meta.lwt', primaryPath]);
  const seen = new Set<string>();
  return all.filter((fields) => {
    const key = fields.join(',');
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

export function buildIndexColumns<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  docsTable: string,
): SqlIndexColumn<RxDocType>[] {
  return schemaIndexFields(schema).map((fields) => {
    const key = fields.join(',');
    const toIndexString = getIndexableStringMonad(schema, fields);
    return {
      fields,
      key,
      column: quoteIdentifier(`idx:${key}`),
      sqlIndexName: quoteIdentifier(`${docsTable}:idx:${key}`),
      valueOf: (doc: RxDocumentData<RxDocType>) => indexStringToBlob(toIndexString(doc)),
    };
  });
}
