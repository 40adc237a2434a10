// Contract: keyset and offset pages over the same rows on PostgreSQL and PGlite — every row once, in
// a stable order with ties broken by the key; edited cursors and oversized limits refused.
import { and, asc, desc, gte, lt } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCursorCodec, InvalidCursorError, keysetPage, migrate, offsetPage } from '../src/index.js';
import { items } from './fixtures/schema.js';
import { migrationsFolder, type TestDatabase, targets } from './support/targets.js';

const codec = createCursorCodec('pagination-test-secret-32-bytes-long!');
const start = Date.parse('2030-01-01T00:00:00Z');
// 25 rows, ranks with many ties (id % 4), times with ties too (every two ids share one).
const rows = Array.from({ length: 25 }, (_, index) => ({
  id: index + 1,
  rank: (index + 1) % 4,
  createdAt: new Date(start + Math.floor(index / 2) * 1000),
  label: `item ${index + 1}`,
}));

describe.each(await targets())('pagination on $name', (target) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await target.open();
    await migrate(db, { folder: migrationsFolder });
    await db.insert(items).values(rows);
  });

  async function walk(options: Omit<Parameters<typeof keysetPage>[1], 'codec' | 'from' | 'cursor'>) {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof keysetPage<typeof items>>> = await keysetPage(db, {
        from: items,
        codec,
        cursor,
        ...options,
      });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 50);
    return { seen, pages };
  }

  it('walks every row once by a column with ties, descending, ties broken by the key', async () => {
    const { seen, pages } = await walk({ key: items.id, sort: items.rank, direction: 'desc', limit: 4 });
    const expected = [...rows].sort((a, b) => b.rank - a.rank || b.id - a.id).map((row) => row.id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(7);
  });

  it('walks by a timestamp column ascending', async () => {
    const { seen } = await walk({ key: items.id, sort: items.createdAt, limit: 6 });
    const expected = [...rows]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
      .map((row) => row.id);
    expect(seen).toEqual(expected);
  });

  it('walks by the key alone, with a filter', async () => {
    const { seen } = await walk({ key: items.id, where: gte(items.rank, 2), limit: 5 });
    expect(seen).toEqual(rows.filter((row) => row.rank >= 2).map((row) => row.id));
  });

  it('ends with a null nextCursor on the last page, even when it is full', async () => {
    const page = await keysetPage(db, {
      from: items,
      key: items.id,
      codec,
      where: lt(items.id, 6),
      limit: 5,
    });
    expect(page.items.map((item) => item.id)).toEqual([1, 2, 3, 4, 5]);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses an edited cursor with InvalidCursorError (400)', async () => {
    const first = await keysetPage(db, { from: items, key: items.id, codec, limit: 3 });
    const [payload, tag] = first.nextCursor!.split('.');
    const edited = `${Buffer.from(JSON.stringify(['id,id asc', [1, 1]])).toString('base64url')}.${tag}`;
    expect(payload).not.toBe(edited.split('.')[0]);
    const error = await keysetPage(db, { from: items, key: items.id, codec, cursor: edited }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidCursorError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
  });

  it('refuses a cursor of another sort order', async () => {
    const first = await keysetPage(db, { from: items, key: items.id, sort: items.rank, codec, limit: 3 });
    const error = await keysetPage(db, {
      from: items,
      key: items.id,
      sort: items.rank,
      direction: 'desc',
      codec,
      cursor: first.nextCursor,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('refuses a limit above maxLimit with 400 INVALID_PAGINATION', async () => {
    const error = await keysetPage(db, { from: items, key: items.id, codec, limit: 101 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ status: 400, expose: true, code: 'INVALID_PAGINATION' });
  });

  it('gives offset pages with the total, ordered stably by the key within ties', async () => {
    const page = await offsetPage(db, {
      from: items,
      key: items.id,
      orderBy: [desc(items.rank)],
      page: 2,
      pageSize: 10,
    });
    const ordered = [...rows].sort((a, b) => b.rank - a.rank || a.id - b.id).map((row) => row.id);
    expect(page.items.map((item) => item.id)).toEqual(ordered.slice(10, 20));
    expect(page).toMatchObject({ total: 25, page: 2, pageSize: 10, pageCount: 3 });
  });

  it('counts only the filtered rows, and answers a page past the end with no items', async () => {
    const page = await offsetPage(db, {
      from: items,
      key: items.id,
      where: and(gte(items.rank, 3)),
      orderBy: [asc(items.createdAt)],
      page: 9,
      pageSize: 5,
    });
    expect(page).toMatchObject({
      items: [],
      total: rows.filter((row) => row.rank >= 3).length,
      pageCount: 2,
    });
  });

  it('refuses page 0 with 400 INVALID_PAGINATION', async () => {
    const error = await offsetPage(db, { from: items, key: items.id, page: 0 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PAGINATION' });
  });
});
