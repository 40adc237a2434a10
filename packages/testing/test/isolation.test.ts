// Each test in a transaction rolled back at its end, savepoints for code that opens its own
// transaction: on real PostgreSQL (postgres.js, drizzle over postgres.js) and PGlite (raw, drizzle).
import { PGlite } from '@electric-sql/pglite';
import { sql as drizzleSql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolate, type WorkerDatabase, withRollback, workerDatabase } from '../src/index.js';
import { connectAdmin, databaseUrl, uniqueName } from './support/postgres.js';

const schema = 'create table items (id serial primary key, name text not null unique)';

/** The operations each database kind is tested through, written for its own client. */
interface Subject {
  insert(db: unknown, name: string): Promise<void>;
  names(db: unknown): Promise<string[]>;
  /** Opens the code-under-test's own transaction on the isolated handle. */
  inOwnTransaction(db: unknown, fn: (db: unknown) => Promise<void>): Promise<void>;
}

function runCases(label: string, database: () => unknown, subject: Subject) {
  describe(label, () => {
    it('sees its own rows inside the test and none after the rollback', async () => {
      const { db, rollback } = await isolate(database());
      await subject.insert(db, 'inside');
      expect(await subject.names(db)).toEqual(['inside']);
      await rollback();
      expect(await subject.names(database())).toEqual([]);
    });

    it('rolls back withRollback() and returns what the body returned', async () => {
      const result = await withRollback(database(), async (db) => {
        await subject.insert(db, 'a');
        return subject.names(db);
      });
      expect(result).toEqual(['a']);
      expect(await subject.names(database())).toEqual([]);
    });

    it("turns the code's own transactions into savepoints: a failed one undoes only itself", async () => {
      const { db, rollback } = await isolate(database());
      await subject.insert(db, 'outer');
      await subject.inOwnTransaction(db, async (inner) => subject.insert(inner, 'committed-inner'));
      await expect(
        subject.inOwnTransaction(db, async (inner) => {
          await subject.insert(inner, 'doomed');
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      // A unique violation inside a savepoint leaves the outer transaction usable.
      await expect(
        subject.inOwnTransaction(db, async (inner) => subject.insert(inner, 'outer')),
      ).rejects.toThrow();
      expect((await subject.names(db)).sort()).toEqual(['committed-inner', 'outer']);
      await rollback();
      expect(await subject.names(database())).toEqual([]);
    });

    it('rejects rollback() with the error that broke the transaction', async () => {
      const { db, rollback } = await isolate(database());
      await subject.insert(db, 'x');
      await expect(subject.insert(db, 'x')).rejects.toThrow();
      // The transaction is aborted now; rolling back still works and the row is gone.
      await rollback().catch(() => {});
      expect(await subject.names(database())).toEqual([]);
    });
  });
}

const postgresSubject: Subject = {
  insert: async (db, name) => {
    await (db as postgres.Sql)`insert into items (name) values (${name})`;
  },
  names: async (db) =>
    (await (db as postgres.Sql)<{ name: string }[]>`select name from items order by id`).map(
      (row) => row.name,
    ),
  inOwnTransaction: async (db, fn) => {
    await (db as postgres.Sql).begin(fn);
  },
};

type Drizzle = ReturnType<typeof drizzlePglite>;
const drizzleSubject: Subject = {
  insert: async (db, name) => {
    await (db as Drizzle).execute(drizzleSql`insert into items (name) values (${name})`);
  },
  names: async (db) => {
    const result = await (db as Drizzle).execute(drizzleSql`select name from items order by id`);
    const rows = (Array.isArray(result) ? result : result.rows) as Array<{ name: string }>;
    return rows.map((row) => row.name);
  },
  inOwnTransaction: async (db, fn) => {
    await (db as Drizzle).transaction(fn);
  },
};

const pgliteSubject: Subject = {
  insert: async (db, name) => {
    await (db as PGlite).query('insert into items (name) values ($1)', [name]);
  },
  names: async (db) =>
    (await (db as PGlite).query<{ name: string }>('select name from items order by id')).rows.map(
      (row) => row.name,
    ),
  inOwnTransaction: async (db, fn) => {
    await (db as PGlite).transaction(fn);
  },
};

describe('on PostgreSQL', async () => {
  const admin = await connectAdmin();
  let database: WorkerDatabase | undefined;
  let sql: postgres.Sql | undefined;
  const key = uniqueName('iso');
  beforeAll(async () => {
    if (!admin) return;
    database = await workerDatabase({
      admin,
      url: databaseUrl,
      key,
      migrate: async (url) => {
        const migrator = postgres(url, { max: 1, onnotice: () => {} });
        await migrator.unsafe(schema);
        await migrator.end();
      },
    });
    sql = postgres(database.url, { max: 4, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
    await admin?.end();
  });

  it.skipIf(!admin)('creates the worker database once from the migrations and reuses it', async () => {
    expect(database?.created).toBe(true);
    let migrations = 0;
    const again = await workerDatabase({
      admin: admin!,
      url: databaseUrl,
      key,
      migrate: async () => {
        migrations++;
      },
    });
    expect(again).toMatchObject({ name: database!.name, created: false });
    expect(migrations).toBe(0);
    const tables = await sql!`select tablename from pg_tables where schemaname = 'public'`;
    expect(tables.map((row) => row.tablename)).toEqual(['items']);
  });

  it.skipIf(!admin)('migrates once when three callers ask for the same new database at once', async () => {
    const shared = uniqueName('race');
    let migrations = 0;
    const ask = () =>
      workerDatabase({
        admin: admin!,
        url: databaseUrl,
        key: shared,
        worker: 1,
        migrate: async (url) => {
          migrations++;
          const migrator = postgres(url, { max: 1, onnotice: () => {} });
          await migrator.unsafe(schema);
          await migrator.end();
        },
      });
    const results = await Promise.all([ask(), ask(), ask()]);
    try {
      expect(migrations).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.name)).size).toBe(1);
    } finally {
      await results[0]?.drop();
    }
  });

  it.skipIf(!admin)('starts over when the migration failed half-way', async () => {
    const failing = uniqueName('half');
    await expect(
      workerDatabase({
        admin: admin!,
        url: databaseUrl,
        key: failing,
        migrate: async () => {
          throw new Error('bad migration');
        },
      }),
    ).rejects.toThrow('bad migration');
    const left = await admin!`select 1 from pg_database where datname like ${`%${failing}%`}`;
    expect(left).toHaveLength(0);
  });

  if (admin) {
    runCases('a postgres.js sql', () => sql, postgresSubject);
    runCases('drizzle over postgres.js', () => drizzlePostgres(sql!), drizzleSubject);
  }
});

describe('on PGlite', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = new PGlite();
    await pg.exec(schema);
  });
  afterAll(() => pg?.close());

  runCases('a PGlite instance', () => pg, pgliteSubject);
  runCases('drizzle over PGlite', () => drizzlePglite(pg), drizzleSubject);
});

describe('isolate() errors', () => {
  it('names what it can isolate', async () => {
    await expect(isolate({})).rejects.toMatchObject({ code: 'ERR_TESTING_UNSUPPORTED_DATABASE' });
  });
});
