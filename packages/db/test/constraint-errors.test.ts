// Contract: a constraint violation reaches the caller as the same typed HTTP error from postgres.js
// and PGlite — status, code, constraint, table, columns — and nothing of the failed write remains.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConstraintViolationError, DbError, migrate } from '../src/index.js';
import { authors, books } from './fixtures/schema.js';
import { migrationsFolder, type TestDatabase, targets } from './support/targets.js';

describe.each(await targets())('constraint errors on $name', (target) => {
  let db: TestDatabase;
  let authorId: number;

  beforeAll(async () => {
    db = await target.open();
    await migrate(db, { folder: migrationsFolder });
    const [author] = await db.insert(authors).values({ email: 'ada@example.com', name: 'Ada' }).returning();
    authorId = author!.id;
  });

  async function failure(write: () => Promise<unknown>): Promise<ConstraintViolationError> {
    const error = await write().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConstraintViolationError);
    return error as ConstraintViolationError;
  }

  it('answers a duplicate unique value with 409 UNIQUE_VIOLATION naming constraint, table and column', async () => {
    const error = await failure(() => db.insert(authors).values({ email: 'ada@example.com', name: 'Other' }));
    expect(error).toMatchObject({
      status: 409,
      expose: true,
      code: 'UNIQUE_VIOLATION',
      kind: 'unique',
      constraint: 'authors_email_unique',
      table: 'authors',
      schema: 'public',
      column: 'email',
      columns: ['email'],
    });
    expect(error).toBeInstanceOf(DbError);
    expect(error.message).toContain('authors_email_unique');
    expect(error.message).not.toContain('ada@example.com');
    expect(await db.select().from(authors).where(eq(authors.name, 'Other'))).toEqual([]);
  });

  it('answers a missing referenced row with 409 FOREIGN_KEY_VIOLATION', async () => {
    const error = await failure(() =>
      db.insert(books).values({ authorId: 999_999, title: 'Lost', pages: 1 }),
    );
    expect(error).toMatchObject({
      status: 409,
      code: 'FOREIGN_KEY_VIOLATION',
      constraint: 'books_author_id_authors_id_fk',
      table: 'books',
      column: 'author_id',
    });
    expect(error.message).not.toContain('999999');
  });

  it('answers deleting a row still referenced with 409 FOREIGN_KEY_VIOLATION', async () => {
    await db.insert(books).values({ authorId, title: 'Notes', pages: 10 });
    const error = await failure(() => db.delete(authors).where(eq(authors.id, authorId)));
    expect(error).toMatchObject({ status: 409, code: 'FOREIGN_KEY_VIOLATION', table: 'books' });
    expect(await db.select().from(authors).where(eq(authors.id, authorId))).toHaveLength(1);
  });

  it('answers a null in a not-null column with 400 NOT_NULL_VIOLATION naming the column', async () => {
    const error = await failure(() =>
      db.insert(authors).values({ email: 'nameless@example.com', name: null as unknown as string }),
    );
    expect(error).toMatchObject({
      status: 400,
      expose: true,
      code: 'NOT_NULL_VIOLATION',
      constraint: undefined,
      table: 'authors',
      column: 'name',
    });
  });

  it('answers a failed check with 400 CHECK_VIOLATION naming the constraint', async () => {
    const error = await failure(() => db.insert(books).values({ authorId, title: 'Empty', pages: 0 }));
    expect(error).toMatchObject({
      status: 400,
      code: 'CHECK_VIOLATION',
      constraint: 'books_pages_positive',
      table: 'books',
    });
  });

  it('answers an overlapping exclusion constraint with 409 EXCLUSION_VIOLATION', async () => {
    await db.execute(
      sql`insert into bookings (room, during) values ('a', '[2030-01-01 10:00Z, 2030-01-01 11:00Z)')`,
    );
    const error = await failure(() =>
      db.execute(
        sql`insert into bookings (room, during) values ('a', '[2030-01-01 10:30Z, 2030-01-01 12:00Z)')`,
      ),
    );
    expect(error).toMatchObject({
      status: 409,
      code: 'EXCLUSION_VIOLATION',
      constraint: 'bookings_no_overlap',
      table: 'bookings',
      column: 'during',
    });
  });

  it('throws the typed error out of a transaction, which is rolled back as a whole', async () => {
    const error = await failure(() =>
      db.transaction(async (tx) => {
        await tx.insert(authors).values({ email: 'grace@example.com', name: 'Grace' });
        await tx.insert(authors).values({ email: 'ada@example.com', name: 'Copy' });
      }),
    );
    expect(error.code).toBe('UNIQUE_VIOLATION');
    expect(await db.select().from(authors).where(eq(authors.email, 'grace@example.com'))).toEqual([]);
  });

  it('lets the app answer a violation its own way: its error, with the violation as cause, leaves the transaction as it is', async () => {
    class EmailTaken extends Error {}
    const error = await db
      .transaction(async (tx) => {
        await tx
          .insert(authors)
          .values({ email: 'ada@example.com', name: 'Copy' })
          .catch((cause: unknown) => {
            throw new EmailTaken('This e-mail address is taken.', { cause });
          });
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmailTaken);
    expect((error as Error).cause).toBeInstanceOf(ConstraintViolationError);
  });

  it('throws the typed error from a savepoint, and the outer transaction can go on', async () => {
    await db.transaction(async (tx) => {
      await tx.insert(authors).values({ email: 'linus@example.com', name: 'Linus' });
      const error = await tx
        .transaction(async (inner) => {
          await inner.insert(authors).values({ email: 'ada@example.com', name: 'Copy' });
        })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'UNIQUE_VIOLATION' });
    });
    expect(await db.select().from(authors).where(eq(authors.email, 'linus@example.com'))).toHaveLength(1);
  });
});
