import {
  getQueryMatcher,
  getSortComparator,
  type RxQueryPlanKey,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { quoteIdentifier, type CollectionTables, type StatementCache } from './sqlHelpers.ts';
import { lwtIndexKey, type SqlIndexColumn } from './sqlIndex.ts';
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

/**
 * A range from RxDB's query plan. `exact`: the range is exactly RxDB's (then
 * the plan's selectorSatisfiedByIndex / sortSatisfiedByIndex hold for it);
 * otherwise it is a superset in another order, and rows go through RxDB's
 * matcher and sort comparator.
 */
type IndexRange = Readonly<{ where: string; lower: unknown; upper: unknown; orderBy: string; exact: boolean }>;

/**
 * RxDB's `['_meta.lwt', primaryKey]` index has no BLOB column; the native
 * `(lwt, id)` index answers it. Its range is widened to whole lwt values
 * (±1 ms covers RxDB's rounding of lwt to 0.01 in index strings) and not
 * exact: RxDB orders ids as padded JavaScript strings, SQLite as UTF-8
 * bytes, which differ for ids with characters below U+0020 or outside the BMP.
 */
function lwtRange(plan: PreparedQuery<unknown>['queryPlan']): IndexRange {
  const bound = (key: RxQueryPlanKey | undefined, side: 'lower' | 'upper'): number => {
    if (typeof key !== 'number' || Number.isNaN(key)) {
      return side === 'lower' ? -Infinity : Infinity;
    }
    return side === 'lower' ? key - 1 : key + 1;
  };
  return {
    where: 'lwt >= ? AND lwt <= ?',
    lower: bound(plan.startKeys[0], 'lower'),
    upper: bound(plan.endKeys[0], 'upper'),
    orderBy: 'lwt, id',
    exact: false,
  };
}

/**
 * Translates the plan's startKeys/endKeys into the same bounds RxDB's memory
 * storage binary-searches for (encoded), so the SQL range is exactly its range.
 * Returns undefined when the planned index has no column (e.g. a query
 * `index` hint that is not a schema index); callers then scan the table.
 */
function planRange<RxDocType>(ctx: QueryContext<RxDocType>, preparedQuery: PreparedQuery<RxDocType>): IndexRange | undefined {
  const plan = preparedQuery.queryPlan;
  const key = plan.index.join(',');
  if (key === lwtIndexKey(ctx.schema)) {
    return lwtRange(plan as PreparedQuery<unknown>['queryPlan']);
  }
  const column = ctx.indexColumns.find((c) => c.key === key);
  if (column === undefined) {
    return undefined;
  }
  const col = column.column;
  const where = `${col} ${plan.inclusiveStart ? '>=' : '>'} ? AND ${col} ${plan.inclusiveEnd ? '<=' : '<'} ?`;
  const lower = column.boundOf(plan.startKeys, 'lower');
  const upper = column.boundOf(plan.endKeys, 'upper');
  return { where, lower, upper, orderBy: col, exact: true };
}

function* iterateDocs(rows: Iterable<unknown>): Generator<Doc<unknown>> {
  for (const data of rows) {
    yield JSON.parse(data as string) as Doc<unknown>;
  }
}

function rangeSql(tables: CollectionTables, range: IndexRange, withLimit: boolean): string {
  const base = `SELECT data FROM ${quoteIdentifier(tables.docs)} WHERE ${range.where} ORDER BY ${range.orderBy}`;
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
  const exact = range !== undefined && range.exact;
  if (range !== undefined && exact && queryPlan.selectorSatisfiedByIndex && queryPlan.sortSatisfiedByIndex) {
    return queryFullyIndexed(ctx, range, skip, limit);
  }
  const matches = exact && queryPlan.selectorSatisfiedByIndex ? () => true : getQueryMatcher(ctx.schema, query);
  const inIndexOrder = exact && queryPlan.sortSatisfiedByIndex;
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
  if (range !== undefined && range.exact && preparedQuery.queryPlan.selectorSatisfiedByIndex) {
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
