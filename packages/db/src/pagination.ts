// Pagination users write by hand today: keyset (cursor) pages with a stable order on any column plus
// the key and signed cursors, and offset pages with a total.
import { and, asc, count, desc, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { CursorCodec } from './cursor.js';
import { DbError } from './errors.js';

/** The part of a drizzle database (or transaction) the pagination helpers call. */
export interface Selectable {
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's select builder types are not nameable generically.
  select(fields?: any): any;
}

/** Options of {@link keysetPage}. */
export interface KeysetPageOptions<TTable extends PgTable> {
  /** The table to page through. */
  from: TTable;
  /** A filter, ANDed with the page's position. */
  where?: SQL | undefined;
  /** The unique, not-null key that breaks ties (usually the primary key). */
  key: PgColumn;
  /** The not-null column to order by; default the key. Ties are ordered by the key. */
  sort?: PgColumn;
  /** Default `asc`. */
  direction?: 'asc' | 'desc';
  /** Rows per page, 1..maxLimit. Default 20. */
  limit?: number;
  /** The largest limit a caller may ask for. Default 100. */
  maxLimit?: number;
  /** The `nextCursor` of the previous page; none for the first page. */
  cursor?: string | null | undefined;
  /** Signs and verifies cursors: `createCursorCodec(secret)`. */
  codec: CursorCodec;
}

/** One keyset page. */
export interface KeysetPage<Row> {
  items: Row[];
  /** Pass it as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Options of {@link offsetPage}. */
export interface OffsetPageOptions<TTable extends PgTable> {
  from: TTable;
  where?: SQL | undefined;
  /** The order; the key is appended so rows with equal values keep one order across pages. */
  orderBy?: Array<SQL | PgColumn>;
  /** The unique key (usually the primary key). */
  key: PgColumn;
  /** 1-based page number. Default 1. */
  page?: number;
  /** Rows per page, 1..maxPageSize. Default 20. */
  pageSize?: number;
  /** Default 100. */
  maxPageSize?: number;
}

/** One offset page, with the total count of matching rows. */
export interface OffsetPage<Row> {
  items: Row[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

function assertCount(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new DbError(
      'INVALID_PAGINATION',
      `${name} must be a whole number from 1 to ${max}, got ${String(value)}.`,
      {
        status: 400,
      },
    );
  }
}

/** The property name under which `db.select().from(table)` returns `column`. */
function propertyOf(table: PgTable, column: PgColumn): string {
  const found = Object.entries(getTableColumns(table)).find(([, candidate]) => candidate === column);
  if (!found) {
    throw new DbError(
      'ERR_DB_INVALID_OPTION',
      `Column "${column.name}" is not a column of the table passed as \`from\`.`,
    );
  }
  return found[0];
}

/**
 * One page of `from`, ordered by `sort` then `key`, starting after `cursor`. Cursors are opaque and
 * signed: an edited one fails with InvalidCursorError (400, code INVALID_CURSOR). Pages stay
 * consistent while rows are inserted or deleted, and cost the same at any depth (an index on
 * `(sort, key)` serves them).
 *
 * @example
 * const codec = createCursorCodec(process.env.CURSOR_SECRET!);
 * const page = await keysetPage(db, { from: posts, key: posts.id, sort: posts.createdAt, direction: 'desc', cursor, codec });
 */
export async function keysetPage<TTable extends PgTable>(
  db: Selectable,
  options: KeysetPageOptions<TTable>,
): Promise<KeysetPage<TTable['$inferSelect']>> {
  const { from, key, codec, direction = 'asc', limit = 20, maxLimit = 100 } = options;
  const sort = options.sort ?? key;
  assertCount('limit', limit, maxLimit);
  const sortProperty = propertyOf(from, sort);
  const keyProperty = propertyOf(from, key);
  const sortName = `${sort.name},${key.name} ${direction}`;
  const operator = sql.raw(direction === 'asc' ? '>' : '<');
  let after: SQL | undefined;
  if (options.cursor) {
    const [sortValue, keyValue] = codec.decode(options.cursor, sortName).values;
    // A row comparison, so one index range scan on (sort, key) serves the page.
    after =
      sort === key
        ? sql`${key} ${operator} ${sql.param(keyValue, key)}`
        : sql`(${sort}, ${key}) ${operator} (${sql.param(sortValue, sort)}, ${sql.param(keyValue, key)})`;
  }
  const order = direction === 'asc' ? [asc(sort), asc(key)] : [desc(sort), desc(key)];
  const rows = (await db
    .select()
    .from(from)
    .where(and(options.where, after))
    .orderBy(...(sort === key ? order.slice(1) : order))
    .limit(limit + 1)) as Array<Record<string, unknown>>;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? codec.encode({ sort: sortName, values: [last[sortProperty], last[keyProperty]] })
      : null;
  return { items: items as TTable['$inferSelect'][], nextCursor };
}

/**
 * One page of `from` by page number, with the total count of matching rows.
 *
 * @example
 * const page = await offsetPage(db, { from: users, key: users.id, orderBy: [users.name], page: 2 });
 */
export async function offsetPage<TTable extends PgTable>(
  db: Selectable,
  options: OffsetPageOptions<TTable>,
): Promise<OffsetPage<TTable['$inferSelect']>> {
  const { from, where, key, page = 1, pageSize = 20, maxPageSize = 100 } = options;
  assertCount('page', page, Number.MAX_SAFE_INTEGER);
  assertCount('pageSize', pageSize, maxPageSize);
  const [items, totals] = await Promise.all([
    db
      .select()
      .from(from)
      .where(where)
      .orderBy(...(options.orderBy ?? []), asc(key))
      .limit(pageSize)
      .offset((page - 1) * pageSize) as Promise<TTable['$inferSelect'][]>,
    db.select({ total: count() }).from(from).where(where) as Promise<Array<{ total: number }>>,
  ]);
  const total = Number(totals[0]?.total ?? 0);
  return { items, total, page, pageSize, pageCount: Math.ceil(total / pageSize) };
}
