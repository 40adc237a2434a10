// .env files as configuration sources, parsed by Node's own parser (`util.parseEnv`, Node ≥ 20.12) so
// the rules are exactly those of `node --env-file`.

import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { defaultMaxFileSize, readBoundedFile } from './bounded-read.js';
import { ConfigError } from './errors.js';
import type { ConfigSource, ConfigValues } from './source.js';

/**
 * The .env file names for a `NODE_ENV`, lowest precedence first (the dotenv-flow / Next.js order):
 * `.env`, `.env.local`, `.env.<NODE_ENV>`, `.env.<NODE_ENV>.local`. `.env.local` is left out when
 * `NODE_ENV` is `test`, so tests do not depend on a developer's local overrides; without a
 * `NODE_ENV` only `.env` and `.env.local` are read.
 *
 * @example
 * envFileNames('production'); // ['.env', '.env.local', '.env.production', '.env.production.local']
 */
export function envFileNames(nodeEnv: string | undefined): string[] {
  const names = ['.env'];
  if (nodeEnv !== 'test') names.push('.env.local');
  if (nodeEnv !== undefined && nodeEnv !== '') names.push(`.env.${nodeEnv}`, `.env.${nodeEnv}.local`);
  return names;
}

/** Options of the .env file sources. */
export interface EnvFileOptions {
  /** The largest file accepted, in bytes; default 1 MiB. FIFOs and sockets are always refused. */
  readonly maxFileSize?: number;
}

/** Reads and parses one .env file; a missing file holds nothing, an unreadable one throws. */
function readEnvFile(path: string, name: string, maxSize = defaultMaxFileSize): ConfigValues {
  let text: string;
  try {
    text = readBoundedFile(path, { maxSize, what: name });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(
      'ERR_CONFIG_SOURCE',
      `Cannot read ${name} (${path}): ${(error as NodeJS.ErrnoException).code ?? String(error)}. ` +
        'Fix its permissions or remove it.',
      { cause: error },
    );
  }
  // A byte order mark would otherwise become part of the first name (util.parseEnv keeps it).
  return parseEnv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/**
 * A source reading one .env file with `util.parseEnv`; a missing file is an empty source.
 *
 * @example
 * loadConfig({ schema, sources: [envFileSource('config/extra.env')] });
 */
export function envFileSource(path: string, options: EnvFileOptions = {}): ConfigSource {
  const absolute = resolve(path);
  return { name: path, load: () => readEnvFile(absolute, path, options.maxFileSize) };
}

/** The .env file sources for a directory and `NODE_ENV`, lowest precedence first. */
export function envFileSources(
  cwd: string,
  nodeEnv: string | undefined,
  options: EnvFileOptions = {},
): ConfigSource[] {
  return envFileNames(nodeEnv).map((name) => {
    const path = join(cwd, name);
    return { name, load: () => readEnvFile(path, name, options.maxFileSize) };
  });
}
