// A policy filter as a drizzle `where`: the list endpoint asks the database for exactly the rows the
// user may see. drizzle-orm is an optional peer, imported only here (the ./drizzle entry point).
import {
  and,
  type Column,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  ne,
  not,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { AuthError } from '../errors.js';
import type { Filter } from '../filter.js';

/** The columns a filter may name: a drizzle table, or any record of attribute name → Column. */
export type FilterColumns = object;

function columnOf(columns: FilterColumns, field: string): Column {
  const column = Object.hasOwn(columns, field) ? (columns as Record<string, unknown>)[field] : undefined;
  if (column === undefined || column === null || typeof column !== 'object') {
    throw new AuthError(
      'ERR_AUTH_POLICY_INVALID',
      `The policy filters on "${field}", which is not a column of the table; rename the attribute or pass a columns map.`,
    );
  }
  return column as Column;
}

function compare(filter: Extract<Filter, { kind: 'compare' }>, columns: FilterColumns): SQL {
  const column = columnOf(columns, filter.field);
  const value = filter.value;
  // A missing value (NULL) fails every operator but $ne, $nin and $exists: false, as toPredicate says.
  if (value === null || value === undefined) {
    if (filter.operator === 'eq' || filter.operator === 'in') return sql`false`;
    if (filter.operator === 'ne' || filter.operator === 'nin') return isNotNull(column);
  }
  switch (filter.operator) {
    case 'eq':
      return eq(column, value);
    case 'ne':
      return or(ne(column, value), isNull(column)) as SQL;
    case 'in':
      return Array.isArray(value) && value.length > 0 ? inArray(column, value) : sql`false`;
    case 'nin':
      return Array.isArray(value) && value.length > 0
        ? (or(notInArray(column, value), isNull(column)) as SQL)
        : sql`true`;
    case 'gt':
      return gt(column, value);
    case 'gte':
      return gte(column, value);
    case 'lt':
      return lt(column, value);
    case 'lte':
      return lte(column, value);
    case 'exists':
      return value === true ? isNotNull(column) : isNull(column);
  }
}

function build(filter: Filter, columns: FilterColumns): SQL {
  switch (filter.kind) {
    case 'all':
      return sql`true`;
    case 'none':
      return sql`false`;
    case 'compare':
      return compare(filter, columns);
    // coalesce: NOT over a NULL comparison must be true, as in toPredicate, not NULL.
    case 'not':
      return not(sql`coalesce(${build(filter.item, columns)}, false)`);
    case 'and':
      return and(...filter.items.map((item) => build(item, columns))) as SQL;
    case 'or':
      return or(...filter.items.map((item) => build(item, columns))) as SQL;
  }
}

/**
 * The drizzle `where` of a policy filter; undefined when every row is allowed.
 *
 * @example
 * const rows = await db.select().from(posts).where(toDrizzleWhere(policy.filter(user, 'read', 'Post'), posts));
 */
export function toDrizzleWhere(filter: Filter, columns: FilterColumns): SQL | undefined {
  return filter.kind === 'all' ? undefined : build(filter, columns);
}
