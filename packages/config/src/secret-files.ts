// Mounted secrets: `NAME_FILE=/run/secrets/x` (the Docker official-image convention) and a directory
// of secret files such as Docker's /run/secrets or a Kubernetes secret volume.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMaxFileSize, readBoundedFile } from './bounded-read.js';
import { ConfigError } from './errors.js';
import type { ConfigSource, ConfigValues } from './source.js';

/** The suffix that turns `NAME_FILE=<path>` into `NAME=<contents of path>`. */
export const fileSuffix = '_FILE';

/** Options of the secret-file readers. */
export interface SecretFileOptions {
  /** The largest file accepted, in bytes; default 1 MiB. FIFOs and sockets are always refused. */
  readonly maxFileSize?: number;
}

/**
 * Reads a secret file, dropping one trailing newline (`\n` or `\r\n`) as `echo secret > file` adds.
 * Throws `ERR_CONFIG_FILE_TOO_LARGE` past `maxFileSize` and `ERR_CONFIG_NOT_A_FILE` for a FIFO or socket.
 */
export function readSecretFile(path: string, options: SecretFileOptions = {}): string {
  return readNamedSecretFile(path, 'The secret file', options.maxFileSize);
}

/** @internal {@link readSecretFile}, naming the file in errors by what points at it (`DB_PASSWORD_FILE`). */
export function readNamedSecretFile(path: string, what: string, maxFileSize?: number): string {
  const text = readBoundedFile(path, { maxSize: maxFileSize ?? defaultMaxFileSize, what });
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/**
 * The variable a secret file name stands for: upper-cased, every character other than a letter,
 * digit or underscore turned into `_` (`db_password` → `DB_PASSWORD`, `api-key.txt` → `API_KEY_TXT`).
 */
export function secretFileVariable(fileName: string): string {
  return fileName.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function describeFailure(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * A source reading a directory of secret files, one variable per file named by
 * {@link secretFileVariable}; hidden entries (Kubernetes' `..data`) and sub-directories are skipped,
 * symbolic links followed, a missing directory is empty. When the schema's names are known, only the
 * files for them are read. Its values are secrets.
 *
 * @example
 * loadConfig({ schema, secretsDir: '/run/secrets' }); // /run/secrets/db_password → DB_PASSWORD
 */
export function secretsDirSource(dir: string, options: SecretFileOptions = {}): ConfigSource {
  return {
    name: dir,
    secret: true,
    load(keys?: readonly string[]): ConfigValues {
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw new ConfigError(
          'ERR_CONFIG_SOURCE',
          `Cannot list the secrets directory ${dir}: ${describeFailure(error)}. Fix its permissions or the secretsDir option.`,
          { cause: error },
        );
      }
      const wanted = keys === undefined ? undefined : new Set(keys);
      const values: Record<string, string> = {};
      for (const entry of entries.sort()) {
        if (entry.startsWith('.')) continue;
        const name = secretFileVariable(entry);
        if (wanted !== undefined && !wanted.has(name)) continue;
        const path = join(dir, entry);
        try {
          if (!statSync(path).isFile()) continue;
          values[name] = readNamedSecretFile(path, `The secret file for ${name}`, options.maxFileSize);
        } catch (error) {
          if (error instanceof ConfigError) throw error;
          throw new ConfigError(
            'ERR_CONFIG_SOURCE',
            `Cannot read the secret file ${path} (for ${name}): ${describeFailure(error)}. ` +
              'Make it readable by the user the process runs as.',
            { cause: error },
          );
        }
      }
      return values;
    },
  };
}
