import {
  getIndexMeta,
  getPrimaryFieldOfPrimaryKey,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  toArray,
  type RxDocumentData,
  type RxJsonSchema,
  type RxQueryPlanKey,
} from 'rxdb';
import { encodeIndexKey, indexKeyEncoder, type IndexFieldKind, type IndexFieldReader } from './indexKey.ts';
import { caseSafeName, quoteIdentifier } from './sqlHelpers.ts';

/**
 * One RxDB index mirrored as a BLOB column holding the encoded index key
 * (see indexKey.ts) plus an SQL index on it. RxDB appends the primary key
 * to every index, so each value is unique and ordering by the column alone
 * is deterministic.
 */
export type SqlIndexColumn<RxDocType> = Readonly<{
  /** The index fields, as in the schema (`['_deleted', 'age', 'id']`). */
  fields: readonly string[];
  /** `fields.join(',')`, the key RxDB's query plan uses to name an index. */
  key: string;
  /** Unquoted column name, as pragma table_info reports it. */
  columnName: string;
  /** Quoted column name, safe to put into SQL text. */
  column: string;
  /** Quoted SQL index name. */
  sqlIndexName: string;
  /** Computes the column value for a document. */
  valueOf: (doc: RxDocumentData<RxDocType>) => Buffer;
  /** Encodes the plan's start or end keys the way RxDB's memory storage bounds its binary search. */
  boundOf: (keys: readonly RxQueryPlanKey[], side: 'lower' | 'upper') => Buffer;
}>;

/** The schema indexes (RxDB has already prefixed `_deleted` and appended the primary key), de-duplicated. */
export function schemaIndexFields<RxDocType>(schema: RxJsonSchema<RxDocumentData<RxDocType>>): string[][] {
  const all: string[][] = (schema.indexes ?? []).map((index) => [...toArray(index as string | string[])]);
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

function buildIndexColumn<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  docsTable: string,
  fields: string[],
): SqlIndexColumn<RxDocType> {
  const key = fields.join(',');
  const meta = getIndexMeta(schema, fields);
  const kinds: IndexFieldKind[] = meta.map((m) => (m.schemaPart.type === 'string' ? 'string' : 'fixed'));
  const readers = meta.map(
    (m): IndexFieldReader<RxDocumentData<RxDocType>> =>
      m.schemaPart.type === 'string'
        ? { kind: 'string', getValue: m.getValue, part: m.getIndexStringPart }
        : { kind: 'fixed', part: m.getIndexStringPart },
  );
  return {
    fields,
    key,
    columnName: `idx:${caseSafeName(key)}`,
    column: quoteIdentifier(`idx:${caseSafeName(key)}`),
    sqlIndexName: quoteIdentifier(`${docsTable}:idx:${caseSafeName(key)}`),
    valueOf: indexKeyEncoder(readers),
    // Bounds are computed per field so that every field is encoded on its
    // own, exactly like the document values.
    boundOf: (keys, side) => {
      const toString = side === 'lower' ? getStartIndexStringFromLowerBound : getStartIndexStringFromUpperBound;
      return encodeIndexKey(kinds, fields.map((field, i) => toString(schema, [field], [keys[i]])));
    },
  };
}

/**
 * The key of the index RxDB adds to every schema for getChangedDocumentsSince,
 * `['_meta.lwt', primaryKey]`. It gets no column: the docs table's native
 * `(lwt, id)` index answers it (see sqliteQuery.ts, `lwtRange`).
 */
export function lwtIndexKey<RxDocType>(schema: RxJsonSchema<RxDocumentData<RxDocType>>): string {
  return `_meta.lwt,${getPrimaryFieldOfPrimaryKey(schema.primaryKey)}`;
}

/** The schema indexes that get a BLOB column: all but RxDB's `_meta.lwt` one. */
export function buildIndexColumns<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  docsTable: string,
): SqlIndexColumn<RxDocType>[] {
  const lwtKey = lwtIndexKey(schema);
  return schemaIndexFields(schema)
    .filter((fields) => fields.join(',') !== lwtKey)
    .map((fields) => buildIndexColumn(schema, docsTable, fields));
}

/** Column and SQL index names the `_meta.lwt` index had before it used the native columns. */
export function legacyLwtIndexNames<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  docsTable: string,
): Readonly<{ columnName: string; sqlIndexName: string }> {
  const key = caseSafeName(lwtIndexKey(schema));
  return { columnName: `idx:${key}`, sqlIndexName: `${docsTable}:idx:${key}` };
}
