// createTest(): the fixtures together on PGlite with drizzle and a real Express 5 app — each test's
// rows vanish when it ends, the app and factories see the same transaction.
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import express from 'express';
import { test as base, describe, expect } from 'vitest';
import { defineFactory, migratedDataDir } from '../src/index.js';
import { createTest } from '../src/vitest.js';

const users = pgTable('users', { id: serial('id').primaryKey(), email: text('email').notNull().unique() });

type Db = Pick<PgliteDatabase, 'select' | 'insert' | 'transaction'>;

function buildApp(db: Db, log: (message: string) => void) {
  const app = express();
  app.use(express.json());
  app.get('/users', async (_req, res) => {
    res.json(await db.select().from(users).orderBy(users.id));
  });
  app.post('/users', async (req, res) => {
    // The app opens its own transaction: a savepoint inside the test's.
    const row = await db.transaction(async (tx) => {
      const [created] = await tx.insert(users).values({ email: req.body.email }).returning();
      return created;
    });
    log(`created ${row?.email}`);
    res.status(201).json(row);
  });
  app.get('/users/:id', async (req, res) => {
    const [row] = await db
      .select()
      .from(users)
      .where(eq(users.id, Number(req.params.id)));
    if (!row) res.status(404).json({ status: 404 });
    else res.json(row);
  });
  return app;
}

const test = createTest(base, {
  // Each worker loads a migrated data directory, made once and cached (README: "On PGlite").
  database: async () => {
    const loadDataDir = await migratedDataDir({
      key: 'plinth-testing-fixtures-v1',
      create: () => new PGlite(),
      migrate: async (pg) => {
        await pg.exec('create table users (id serial primary key, email text not null unique)');
      },
    });
    return drizzle(new PGlite({ loadDataDir }));
  },
  closeDatabase: (db) => db.$client.close(),
  app: ({ db, logger }) => buildApp(db, (message) => logger.info(message)),
  factories: ({ db }) => ({
    users: defineFactory({
      fields: ({ sequence }) => ({ email: `user${sequence}@example.test` }),
      create: async (user) => (await db.insert(users).values(user).returning())[0]!,
    }),
  }),
});

describe.sequential('createTest() fixtures', () => {
  test('the app sees what factories created in the same transaction', async ({ client, factories }) => {
    const created = await factories.users.createList(2);
    const response = await client('/users');
    expect(await response.json()).toEqual(created);
  });

  test('the previous test left no rows behind', async ({ db }) => {
    expect(await db.select().from(users)).toEqual([]);
  });

  test('a request that writes is rolled back too, and the logger recorded it', async ({
    client,
    logger,
    db,
  }) => {
    const response = await client({ method: 'POST', url: '/users', json: { email: 'ada@example.test' } });
    expect(response.status).toBe(201);
    expect(logger.find('info', 'created ada@example.test')).toHaveLength(1);
    expect(await db.select({ email: users.email }).from(users)).toEqual([{ email: 'ada@example.test' }]);
  });

  test('and again nothing is left', async ({ client }) => {
    expect(await (await client('/users')).json()).toEqual([]);
  });
});
