// A migrated PGlite data directory, dumped once and cached on disk by key: each test worker starts
// its PGlite from it (loadDataDir, ~1.8 s here) instead of migrating a fresh instance (~8 s and up).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestingError } from './errors.js';

/** The part of a PGlite instance this uses. */
export interface PGliteDumpable {
  dumpDataDir(compression?: 'auto' | 'gzip' | 'none'): Promise<Blob>;
  close(): Promise<void>;
}

/** Options of migratedDataDir(). */
export interface MigratedDataDirOptions<P extends PGliteDumpable> {
  /** What the migrations are (a version or hash of the folder); a new key makes a new dump. */
  key: string;
  /** A fresh instance to migrate, e.g. `() => new PGlite()`. */
  create: () => P | Promise<P>;
  /** Applies the migrations, e.g. drizzle's `migrate(drizzle(pg), { migrationsFolder })`. */
  migrate: (pg: P) => Promise<void>;
  /** Where dumps are kept (default `<os tmpdir>/plinth-testing-pglite`). */
  cacheDir?: string;
}

/**
 * The migrated data directory for `key` as a Blob for `new PGlite({ loadDataDir })`: read from the
 * cache, or made once (create, migrate, dump) and cached. Call it in a globalSetup or per worker.
 *
 * @example
 * const loadDataDir = await migratedDataDir({ key: migrationsHash, create: () => new PGlite(),
 *   migrate: (pg) => migrate(drizzle(pg), { migrationsFolder: './drizzle' }) });
 * const db = drizzle(new PGlite({ loadDataDir }));
 */
export async function migratedDataDir<P extends PGliteDumpable>(
  options: MigratedDataDirOptions<P>,
): Promise<Blob> {
  const { key, create, migrate } = options;
  if (
    typeof key !== 'string' ||
    !/^[\w.-]+$/.test(key) ||
    typeof create !== 'function' ||
    typeof migrate !== 'function'
  ) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      'migratedDataDir: give { key: letters, digits, "_", "-" or "." only, create: () => new PGlite(), migrate: (pg) => Promise }.',
    );
  }
  const directory = options.cacheDir ?? join(tmpdir(), 'plinth-testing-pglite');
  const file = join(directory, `${key}.tar.gz`);
  try {
    return new Blob([await readFile(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const pg = await create();
  let dump: Blob;
  try {
    await migrate(pg);
    dump = await pg.dumpDataDir('gzip');
  } finally {
    await pg.close();
  }
  await mkdir(directory, { recursive: true });
  // Written aside, then renamed: a worker reading meanwhile never sees half a file.
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
  await rename(partial, file);
  return dump;
}
