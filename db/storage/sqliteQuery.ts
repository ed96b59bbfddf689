import {
  getQueryMatcher,
  getSortComparator,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { quoteIdentifier, type CollectionTables, type StatementCache } from './sqlHelpers.ts';
import type { SqlIndexColumn } from './sqlIndex.ts';
import type { CollectionSql } from './sqlTables.ts';

export type QueryContext<RxDocType> = Readonly<{
  schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>;
  statements: StatementCache;
  sql: CollectionSql;
  tables: CollectionTables;
  indexColumns: readonly SqlIndexColumn<RxDocType>[];
}>;

type Doc<RxDocType> = RxDocumentData<RxDocType>;
type Comparator<RxDocType> = (a: Doc<RxDocType>, b: Doc<RxDocType>) => number;

/** A range over one index column, from RxDB's query plan. */
type IndexRange = Readonly<{ where: string; lower: Buffer; upper: Buffer; column: string }>;

/**
 * Translates the plan's startKeys/endKeys into the same bounds RxDB's memory
 * storage binary-searches for (encoded), so the SQL range is exactly its range.
 * Returns undefined when the planned index has no column (e.g. a query
 * `index` hint that is not a schema index); callers then scan the table.
 */
function planRange<RxDocType>(ctx: QueryContext<RxDocType>, preparedQuery: PreparedQuery<RxDocType>): IndexRange | undefined {
  const plan = preparedQuery.queryPlan;
  const key = plan.index.join(',');
  const column = ctx.indexColumns.find((c) => c.key === key);
  if (column === undefined) {
    return undefined;
  }
  const col = column.column;
  const where = `${col} ${plan.inclusiveStart ? '>=' : '>'} ? AND ${col} ${plan.inclusiveEnd ? '<=' : '<'} ?`;
  return { where, lower: column.boundOf(plan.startKeys, 'lower'), upper: column.boundOf(plan.endKeys, 'upper'), column: col };
}

function* iterateDocs(rows: Iterable<unknown>): Generator<Doc<unknown>> {
  for (const data of rows) {
    yield JSON.parse(data as string) as Doc<unknown>;
  }
}

function rangeSql(tables: CollectionTables, range: IndexRange, withLimit: boolean): string {
  const base = `SELECT data FROM ${quoteIdentifier(tables.docs)} WHERE ${range.where} ORDER BY ${range.column}`;
  return withLimit ? `${base} LIMIT ? OFFSET ?` : base;
}

function rangeRows<RxDocType>(ctx: QueryContext<RxDocType>, range: IndexRange | undefined): Iterable<Doc<RxDocType>> {
  if (range === undefined) {
    return iterateDocs(ctx.statements.get(ctx.sql.scanAll).pluck().iterate()) as Iterable<Doc<RxDocType>>;
  }
  const sql = rangeSql(ctx.tables, range, false);
  return iterateDocs(ctx.statements.get(sql).pluck().iterate(range.lower, range.upper)) as Iterable<Doc<RxDocType>>;
}

/** Inserts into a sorted array, keeping only the first `max` elements (bounded top-k). */
function insertBounded<T>(sorted: T[], item: T, compare: (a: T, b: T) => number, max: number): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(sorted[mid] as T, item) <= 0) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  if (low >= max) {
    return;
  }
  sorted.splice(low, 0, item);
  if (sorted.length > max) {
    sorted.pop();
  }
}

/** The index decides both filter and order: SQL does skip and limit too. */
function queryFullyIndexed<RxDocType>(ctx: QueryContext<RxDocType>, range: IndexRange, skip: number, limit: number | undefined): Doc<RxDocType>[] {
  const rows = ctx.statements.get(rangeSql(ctx.tables, range, true)).pluck().all(range.lower, range.upper, limit ?? -1, skip) as string[];
  return rows.map((data) => JSON.parse(data) as Doc<RxDocType>);
}

/**
 * Runs a prepared query as a range scan on the planned index.
 * Memory stays bounded by skip + limit unless the query has no limit and
 * needs re-sorting, where every match has to be held anyway.
 */
export function runQuery<RxDocType>(ctx: QueryContext<RxDocType>, preparedQuery: PreparedQuery<RxDocType>): Doc<RxDocType>[] {
  const { query, queryPlan } = preparedQuery;
  const skip = query.skip ?? 0;
  const limit = typeof query.limit === 'number' ? query.limit : undefined;
  const wanted = limit === undefined ? Infinity : skip + limit;
  const range = planRange(ctx, preparedQuery);
  if (wanted === 0) {
    return [];
  }
  if (range !== undefined && queryPlan.selectorSatisfiedByIndex && queryPlan.sortSatisfiedByIndex) {
    return queryFullyIndexed(ctx, range, skip, limit);
  }
  const matches = range !== undefined && queryPlan.selectorSatisfiedByIndex ? () => true : getQueryMatcher(ctx.schema, query);
  const inIndexOrder = range !== undefined && queryPlan.sortSatisfiedByIndex;
  const compare: Comparator<RxDocType> = getSortComparator(ctx.schema, query);
  const found: Doc<RxDocType>[] = [];
  for (const doc of rangeRows(ctx, range)) {
    if (!matches(doc)) {
      continue;
    }
    if (inIndexOrder) {
      found.push(doc);
      if (found.length >= wanted) {
        break; // leaving the loop finalizes the SQLite cursor
      }
    } else if (wanted === Infinity) {
      found.push(doc);
    } else {
      insertBounded(found, doc, compare, wanted);
    }
  }
  if (!inIndexOrder && wanted === Infinity) {
    found.sort(compare);
  }
  return found.slice(skip, wanted);
}

/**
 * Counts matches, ignoring skip and limit like RxDB's memory storage does.
 * When the index decides the selector, SQLite counts the range itself.
 */
export function countQuery<RxDocType>(ctx: QueryContext<RxDocType>, preparedQuery: PreparedQuery<RxDocType>): number {
  const range = planRange(ctx, preparedQuery);
  if (range !== undefined && preparedQuery.queryPlan.selectorSatisfiedByIndex) {
    const sql = `SELECT count(*) FROM ${quoteIdentifier(ctx.tables.docs)} WHERE ${range.where}`;
    return Number(ctx.statements.get(sql).pluck().get(range.lower, range.upper));
  }
  const matches = getQueryMatcher(ctx.schema, preparedQuery.query);
  let count = 0;
  for (const doc of rangeRows(ctx, range)) {
    if (matches(doc)) {
      count += 1;
    }
  }
  return count;
}

/**
 * Diagnostics: SQLite's plan for the range scan a query would run, e.g.
 * 'SEARCH rxdb_x_v0 USING INDEX ... (<expr>>? AND <expr><?)'; 'SCAN ...' means no index.
 */
export function explainQuery<RxDocType>(ctx: QueryContext<RxDocType>, preparedQuery: PreparedQuery<RxDocType>): string[] {
  const range = planRange(ctx, preparedQuery);
  const sql = range === undefined ? ctx.sql.scanAll : rangeSql(ctx.tables, range, false);
  const params = range === undefined ? [] : [range.lower, range.upper];
  const rows = ctx.statements.get(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((row) => row.detail);
}
