// Which engine a database URL names: postgres:// for a PostgreSQL server through postgres.js;
// memory:// (or no URL) for PGlite in memory; file:// or a path for PGlite in a directory.
import { fileURLToPath } from 'node:url';
import { DbError } from './errors.js';

/** The engine and where it lives, parsed from a URL. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; display: string }
  | { kind: 'pglite'; dataDir: string | undefined; display: string };

const usage =
  'use postgres://user:password@host:5432/name for PostgreSQL (e.g. in DATABASE_URL), memory:// for PGlite in memory, or file:///path (or a directory path) for PGlite on disk';

/** The URL without its password, safe to put in an error message or a log. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

/** Parses `url` into a {@link DatabaseTarget}; throws ERR_DB_INVALID_URL naming what to write instead. */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (url === undefined || url === '' || url === 'memory://') {
    return { kind: 'pglite', dataDir: undefined, display: 'memory:// (PGlite)' };
  }
  if (typeof url !== 'string') {
    throw new DbError('ERR_DB_INVALID_URL', `The database url must be a string; ${usage}.`);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new DbError(
        'ERR_DB_INVALID_URL',
        `The database URL is malformed (a password with @, / or # must be percent-encoded); ${usage}.`,
        { cause: error },
      );
    }
    if (!parsed.hostname) {
      throw new DbError('ERR_DB_INVALID_URL', `The database URL names no host; ${usage}.`);
    }
    return { kind: 'postgres', url, display: redactUrl(parsed) };
  }
  if (/^file:\/\//i.test(url)) {
    const dataDir = fileURLToPath(url);
    return { kind: 'pglite', dataDir, display: `${dataDir} (PGlite)` };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const scheme = url.slice(0, url.indexOf(':'));
    throw new DbError(
      'ERR_DB_INVALID_URL',
      `The database URL scheme "${scheme}:" is not supported; ${usage}.`,
    );
  }
  return { kind: 'pglite', dataDir: url, display: `${url} (PGlite)` };
}
