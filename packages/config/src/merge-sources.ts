// Merging what every source returned into one value per variable, by precedence (later sources win),
// resolving `NAME_FILE` indirections to the contents of the file.

import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from './errors.js';
import { fileSuffix, readNamedSecretFile } from './secret-files.js';
import type { ConfigSource, ConfigValues } from './source.js';

/** What one source returned. */
export interface LoadedSource {
  /** The source. */
  readonly source: ConfigSource;
  /** Its values. */
  readonly values: ConfigValues;
}

/** The winning raw value of one variable and where it came from. */
export interface RawValue {
  /** The raw string, `undefined` when unset (or empty, with emptyAsUnset). */
  readonly value: string | undefined;
  /** The source's name, e.g. `.env.local`, `environment`, `DB_PASSWORD_FILE`. */
  readonly origin: string;
  /** Whether it came from a secret source or a secret file. */
  readonly secret: boolean;
}

type Entry =
  | { readonly type: 'value'; readonly value: string; readonly source: ConfigSource }
  | { readonly type: 'file'; readonly path: string; readonly source: ConfigSource };

/** The outcome of merging: raw values per variable and the problems found on the way. */
export interface MergedValues {
  /** The raw value of every variable that any source set. */
  readonly values: Map<string, RawValue>;
  /** Problems (unreadable `NAME_FILE`, `NAME` and `NAME_FILE` both set). */
  readonly issues: ConfigIssue[];
}

/** Merging options. */
export interface MergeOptions {
  /** The schema's variable names; `undefined` keeps every value and disables `NAME_FILE`. */
  readonly keys: readonly string[] | undefined;
  /** The directory relative `NAME_FILE` paths are resolved against. */
  readonly cwd: string;
  /** Treat empty strings as unset. */
  readonly emptyAsUnset: boolean;
  /** Expected-type wording per variable, for issues. */
  readonly expected: (key: string) => string;
  /** The largest `NAME_FILE` accepted, in bytes (undefined: the default). */
  readonly maxFileSize?: number | undefined;
}

/**
 * A source's value as text. Sources should return strings, but a vault's JSON may hold numbers,
 * booleans or objects: they are written as text (objects as JSON) and coerced like any string.
 */
function toText(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Records `NAME_FILE=<path>` as the file entry of `NAME`, after checking `NAME` is not also set. */
function addFileEntry(
  winners: Map<string, Entry>,
  key: string,
  path: string,
  loaded: LoadedSource,
  options: MergeOptions,
  issues: ConfigIssue[],
): void {
  const direct = toText(loaded.values[key]);
  if (direct !== undefined && direct !== '') {
    issues.push({
      key,
      kind: 'invalid',
      expected: options.expected(key),
      message: `both ${key} and ${key}${fileSuffix} are set; set only one of them`,
      source: loaded.source.name,
      secret: true,
    });
  }
  winners.set(key, { type: 'file', path, source: loaded.source });
}

/**
 * The entries of one source. `NAME_FILE` counts as setting `NAME` in that same source, so it competes
 * with other sources by the usual precedence; it is an indirection only when the schema declares
 * `NAME` and not `NAME_FILE` itself (so a variable such as `LOG_FILE` keeps its meaning). With known
 * names only those are looked up, not every variable of the environment.
 */
function mergeSource(
  loaded: LoadedSource,
  keys: KeyNames | undefined,
  options: MergeOptions,
  issues: ConfigIssue[],
  winners: Map<string, Entry>,
): void {
  const { source, values } = loaded;
  if (keys === undefined) {
    for (const [name, raw] of Object.entries(values)) {
      const value = toText(raw);
      if (value !== undefined) winners.set(name, { type: 'value', value, source });
    }
    return;
  }
  for (const [key, fileName] of keys) {
    const path = fileName === undefined ? undefined : toText(values[fileName]);
    // An empty NAME_FILE (docker-compose's `${NAME_FILE:-}`) names no file: NAME is read as usual.
    if (path !== undefined && path !== '') {
      addFileEntry(winners, key, path, loaded, options, issues);
      continue;
    }
    const value = toText(values[key]);
    if (value !== undefined) winners.set(key, { type: 'value', value, source });
  }
}

function readEntry(key: string, entry: Entry, options: MergeOptions, issues: ConfigIssue[]): RawValue {
  const secret = entry.source.secret === true;
  if (entry.type === 'value') {
    const value = entry.value === '' && options.emptyAsUnset ? undefined : entry.value;
    return { value, origin: entry.source.name, secret };
  }
  const origin = `${key}${fileSuffix}`;
  const path = resolve(options.cwd, entry.path);
  try {
    const value = readNamedSecretFile(path, origin, options.maxFileSize);
    return { value: value === '' && options.emptyAsUnset ? undefined : value, origin, secret: true };
  } catch (error) {
    // Too large, or a FIFO: the start stops at once with its own code rather than one more issue.
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const hint =
      code === 'ENOENT'
        ? 'the file does not exist; check the mount or the path'
        : code === 'EACCES'
          ? 'permission denied; make it readable by the user the process runs as'
          : code === 'EISDIR'
            ? 'it is a directory; point it at the file inside'
            : 'check the path and permissions';
    issues.push({
      key,
      kind: 'invalid',
      expected: options.expected(key),
      message: `cannot read ${entry.path} (${code}): ${hint}`,
      source: `${origin} in ${entry.source.name}`,
      secret: true,
    });
    // The issue above already reports the variable; the validator's "missing" for it is dropped.
    return { value: undefined, origin, secret: true };
  }
}

/** Each declared name and the `NAME_FILE` name that points at it (none when `NAME_FILE` is declared). */
type KeyNames = ReadonlyMap<string, string | undefined>;

// The key lists come from the cached schema analysis: computed once per list, not once per load.
const keyNames = new WeakMap<readonly string[], KeyNames>();

function namesOf(keys: readonly string[] | undefined): KeyNames | undefined {
  if (keys === undefined) return undefined;
  let names = keyNames.get(keys);
  if (names === undefined) {
    const declared = new Set(keys);
    names = new Map(keys.map((key) => [key, declared.has(key + fileSuffix) ? undefined : key + fileSuffix]));
    keyNames.set(keys, names);
  }
  return names;
}

/** Merges the values of every source (lowest precedence first) into one raw value per variable. */
export function mergeSources(loaded: readonly LoadedSource[], options: MergeOptions): MergedValues {
  const keys = namesOf(options.keys);
  const issues: ConfigIssue[] = [];
  const winners = new Map<string, Entry>();
  for (const source of loaded) mergeSource(source, keys, options, issues, winners);
  const values = new Map<string, RawValue>();
  for (const [key, entry] of winners) values.set(key, readEntry(key, entry, options, issues));
  return { values, issues };
}
