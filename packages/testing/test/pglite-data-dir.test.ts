// A migrated PGlite data directory made once, cached by key, and loaded by each new instance.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { migratedDataDir } from '../src/index.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'plinth-testing-datadir-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('migratedDataDir()', () => {
  it('migrates once, then every instance loads the migrated schema from the cache', async () => {
    let migrations = 0;
    const options = {
      key: 'v1',
      cacheDir,
      create: () => new PGlite(),
      migrate: async (pg: PGlite) => {
        migrations++;
        await pg.exec(
          "create table notes (id serial primary key, body text); insert into notes (body) values ('seed')",
        );
      },
    };
    await migratedDataDir(options);
    const loadDataDir = await migratedDataDir(options);
    expect(migrations).toBe(1);
    expect(readdirSync(cacheDir)).toEqual(['v1.tar.gz']);
    const pg = new PGlite({ loadDataDir });
    try {
      expect((await pg.query<{ body: string }>('select body from notes')).rows).toEqual([{ body: 'seed' }]);
    } finally {
      await pg.close();
    }
  });

  it('refuses a key that is not a file name', async () => {
    await expect(
      migratedDataDir({ key: '../x', cacheDir, create: () => new PGlite(), migrate: async () => {} }),
    ).rejects.toMatchObject({ code: 'ERR_TESTING_INVALID_OPTION' });
  });
});
