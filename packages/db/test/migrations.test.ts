// Contract: migrate() and migrationStatus() on PostgreSQL and PGlite — each file applied once, in its
// own transaction; edited, removed and missing files reported by name before anything runs.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DbError, migrate, migrationStatus } from '../src/index.js';
import { migrationFolder, writeMigrations } from './support/migration-folder.js';
import { migrationsFolder, targets } from './support/targets.js';

const base = {
  '0000_people.sql': 'create table people (id integer primary key, name text not null);',
  '0001_seed.sql':
    "insert into people values (1, 'Ada');\n--> statement-breakpoint\ninsert into people values (2, 'Grace');",
};

async function rejection(promise: Promise<unknown>): Promise<DbError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DbError);
  return error as DbError;
}

async function tableExists(db: { execute(query: ReturnType<typeof sql>): Promise<unknown> }, name: string) {
  const result = (await db.execute(sql`select to_regclass(${name}) is not null as found`)) as
    | Array<{ found: boolean }>
    | { rows: Array<{ found: boolean }> };
  const rows = Array.isArray(result) ? result : result.rows;
  return rows[0]!.found;
}

describe.each(await targets())('migrations on $name', (target) => {
  it('applies drizzle-kit generated SQL once, and a second run applies nothing', async () => {
    const db = await target.open();
    expect(await migrate(db, { folder: migrationsFolder })).toEqual({
      applied: ['0000_init', '0001_bookings'],
    });
    expect(await migrate(db, { folder: migrationsFolder })).toEqual({ applied: [] });
    expect(await tableExists(db, 'bookings')).toBe(true);
  });

  it('lists applied and pending migrations, with a checksum and time per applied one', async () => {
    const db = await target.open();
    const folder = migrationFolder({ '0000_people.sql': base['0000_people.sql'] });
    expect(await migrationStatus(db, { folder })).toEqual({
      applied: [],
      pending: ['0000_people'],
      changed: [],
      missing: [],
    });
    await migrate(db, { folder });
    writeMigrations(folder, { '0001_seed.sql': base['0001_seed.sql'] });
    const status = await migrationStatus(db, { folder });
    expect(status.applied).toEqual([
      { name: '0000_people', checksum: expect.stringMatching(/^[0-9a-f]{64}$/), appliedAt: expect.any(Date) },
    ]);
    expect(status.pending).toEqual(['0001_seed']);
  });

  it('refuses to run when an applied migration was edited, naming it, and applies nothing', async () => {
    const db = await target.open();
    const folder = migrationFolder(base);
    await migrate(db, { folder });
    writeMigrations(folder, {
      '0000_people.sql': 'create table people (id integer primary key, name text);',
      '0002_more.sql': 'create table more (id integer);',
    });
    const error = await rejection(migrate(db, { folder }));
    expect(error.code).toBe('ERR_DB_MIGRATION_CHANGED');
    expect(error.message).toContain('0000_people');
    expect(await tableExists(db, 'more')).toBe(false);
    expect((await migrationStatus(db, { folder })).changed).toEqual(['0000_people']);
  });

  it('reads CRLF line endings of an applied file as unchanged', async () => {
    const db = await target.open();
    const folder = migrationFolder(base);
    await migrate(db, { folder });
    writeMigrations(folder, { '0001_seed.sql': base['0001_seed.sql'].replace(/\n/g, '\r\n') });
    expect(await migrate(db, { folder })).toEqual({ applied: [] });
  });

  it('refuses to run when an applied migration is gone from the folder', async () => {
    const db = await target.open();
    const folder = migrationFolder(base);
    await migrate(db, { folder });
    rmSync(join(folder, '0001_seed.sql'));
    const error = await rejection(migrate(db, { folder }));
    expect(error.code).toBe('ERR_DB_MIGRATION_MISSING');
    expect(error.message).toContain('0001_seed');
  });

  it('reports a gap in the numbering before touching the database', async () => {
    const db = await target.open();
    const folder = migrationFolder({
      '0000_people.sql': base['0000_people.sql'],
      '0002_more.sql': 'create table more (id integer);',
    });
    const error = await rejection(migrate(db, { folder }));
    expect(error.code).toBe('ERR_DB_MIGRATION_GAP');
    expect(error.message).toContain('0001');
    expect(error.message).toContain('0002_more.sql');
    expect(await tableExists(db, 'people')).toBe(false);
    expect(await tableExists(db, 'plinth_migrations')).toBe(false);
  });

  it('reports two files with one number as a gap', async () => {
    const db = await target.open();
    const folder = migrationFolder({ ...base, '0001_other.sql': 'select 1;' });
    const error = await rejection(migrate(db, { folder }));
    expect(error.code).toBe('ERR_DB_MIGRATION_GAP');
    expect(error.message).toContain('0001_other.sql');
  });

  it('rolls a failing migration back whole, keeps the ones before it, and applies it once fixed', async () => {
    const db = await target.open();
    const folder = migrationFolder({
      ...base,
      '0002_broken.sql': 'create table half (id integer);\n--> statement-breakpoint\nselect 1/0;',
    });
    const error = await rejection(migrate(db, { folder }));
    expect(error.code).toBe('ERR_DB_MIGRATION_FAILED');
    expect(error.message).toContain('0002_broken');
    expect(error.message).toContain('statement 2 of 2');
    expect(await tableExists(db, 'half')).toBe(false);
    expect((await migrationStatus(db, { folder })).pending).toEqual(['0002_broken']);
    writeMigrations(folder, { '0002_broken.sql': 'create table half (id integer);' });
    expect(await migrate(db, { folder })).toEqual({ applied: ['0002_broken'] });
  });

  it('keeps its journal where it is told', async () => {
    const db = await target.open();
    const folder = migrationFolder(base);
    await migrate(db, { folder, schema: 'ops', table: 'schema_history' });
    expect(await tableExists(db, 'ops.schema_history')).toBe(true);
    expect((await migrationStatus(db, { folder, schema: 'ops', table: 'schema_history' })).pending).toEqual(
      [],
    );
  });
});
