// Rules to a drizzle `where`, run on real PostgreSQL: the database returns exactly the rows can() allows,
// without the rows being loaded first.

import { boolean, integer, PgDialect, pgTable, text } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDrizzleWhere } from '../src/adapters/drizzle.js';
import { ref } from '../src/conditions.js';
import { AuthError } from '../src/errors.js';
import { createPolicy, definePolicy } from '../src/policy.js';
import { connectPostgres } from './support/postgres.js';

const table = `auth_filter_${process.pid}`;
const posts = pgTable(table, {
  id: integer('id').primaryKey(),
  authorId: text('author_id'),
  published: boolean('published'),
  locked: boolean('locked'),
  status: text('status'),
  score: integer('score'),
});

const policy = createPolicy(
  definePolicy(({ can, cannot }) => {
    can('read', 'Post', { published: true });
    can('read', 'Post', { authorId: ref('subject.id') });
    can('read', 'Post', { status: { $in: ['featured', 'pinned'] }, score: { $gte: 10 } });
    cannot('read', 'Post', { locked: true });
    cannot('read', 'Post', { status: { $nin: ['featured', 'pinned', 'draft'] }, score: { $lt: 0 } });
  }),
);

const rows = [
  { id: 1, authorId: 'alice', published: false, locked: false, status: 'draft', score: 0 },
  { id: 2, authorId: 'bob', published: true, locked: false, status: 'normal', score: 5 },
  { id: 3, authorId: 'bob', published: true, locked: true, status: 'normal', score: 5 },
  { id: 4, authorId: 'carol', published: false, locked: null, status: 'featured', score: 12 },
  { id: 5, authorId: null, published: true, locked: null, status: null, score: null },
  { id: 6, authorId: 'alice', published: false, locked: false, status: 'spam', score: -3 },
  { id: 7, authorId: 'dave', published: null, locked: false, status: 'pinned', score: 9 },
];

const client = await connectPostgres();

describe.skipIf(client === undefined)('toDrizzleWhere on PostgreSQL', () => {
  const db = client ? drizzle(client) : (undefined as never);
  beforeAll(async () => {
    await client?.unsafe(
      `create table if not exists ${table} (id integer primary key, author_id text, published boolean, locked boolean, status text, score integer)`,
    );
    await db.insert(posts).values(rows);
  });
  afterAll(async () => {
    await client?.unsafe(`drop table if exists ${table}`);
    await client?.end({ timeout: 2 });
  });

  it.each(['alice', 'bob', 'zed'])('returns exactly the rows can() allows for %s', async (id) => {
    const subject = { id };
    const where = toDrizzleWhere(policy.filter(subject, 'read', 'Post'), posts);
    const found = await db.select({ id: posts.id }).from(posts).where(where).orderBy(posts.id);
    const expected = rows.filter((row) => policy.can(subject, 'read', 'Post', row)).map((row) => row.id);
    expect(found.map((row) => row.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('returns no row when nothing is allowed, and no where at all when everything is', async () => {
    const nothing = toDrizzleWhere(policy.filter({ id: 'x' }, 'delete', 'Post'), posts);
    expect(await db.select().from(posts).where(nothing)).toEqual([]);
    const everything = createPolicy([{ action: 'read', resource: 'Post' }]);
    expect(toDrizzleWhere(everything.filter({ id: 'x' }, 'read', 'Post'), posts)).toBeUndefined();
  });
});

describe('toDrizzleWhere without a database', () => {
  it('binds values as parameters, never as SQL text', () => {
    const hostile = createPolicy([
      { action: 'read', resource: 'Post', conditions: { authorId: ref('subject.id') } },
    ]);
    const where = toDrizzleWhere(hostile.filter({ id: "x' or '1'='1" }, 'read', 'Post'), posts);
    const query = new PgDialect().sqlToQuery(where as never);
    expect(query.sql).toBe(`"${table}"."author_id" = $1`);
    expect(query.params).toEqual(["x' or '1'='1"]);
  });

  it('refuses a filter on an attribute that is not a column, naming it', () => {
    const other = createPolicy([{ action: 'read', resource: 'Post', conditions: { tenant: 't1' } }]);
    expect(() => toDrizzleWhere(other.filter({ id: 'x' }, 'read', 'Post'), posts)).toThrow(AuthError);
    expect(() => toDrizzleWhere(other.filter({ id: 'x' }, 'read', 'Post'), posts)).toThrow(
      /"tenant", which is not a column/,
    );
  });
});
