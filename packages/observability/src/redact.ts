// Deep redaction of log objects: one bounded walk that censors sensitive keys at any depth, copy-on-write.
import { stdSerializers } from 'pino';

/** Options of {@link createRedactor} (and of `createLogger({ redact })`). */
export interface RedactOptions {
  /**
   * Extra key words to censor, on top of the defaults (authorization, cookie, password, passwd, token,
   * secret, api key). Matching ignores case, `-` and `_`, and a key matches when it ends with a word,
   * so `token` also censors `accessToken` and `x-auth-token`.
   */
  keys?: readonly string[];
  /** Replacement text. Default `[Redacted]`. */
  censor?: string;
  /** Objects nested deeper than this are replaced by `[Truncated]` (unwalked means unsafe). Default 16. */
  maxDepth?: number;
  /** At most this many objects and arrays are walked per log call; the rest become `[Truncated]`. Default 5000. */
  maxNodes?: number;
}

/** A function that returns `value` itself when nothing needed censoring, or a censored copy. */
export type Redactor = (value: unknown) => unknown;

/** The key words censored by default. */
export const DEFAULT_REDACT_KEYS: readonly string[] = [
  'authorization',
  'cookie',
  'password',
  'passwd',
  'token',
  'secret',
  'apikey',
];

const TRUNCATED = '[Truncated]';
const CIRCULAR = '[Circular]';
// Key verdicts are cached; real logs reuse a small vocabulary of keys, so the cap is rarely reached.
const KEY_CACHE_LIMIT = 10_000;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Builds a redactor that censors sensitive keys at any depth: in plain objects, arrays, class
 * instances, `Headers` and errors (serialized with pino's `err` serializer first), with cycle
 * protection and depth/size bounds.
 * @example
 * const redact = createRedactor({ keys: ['ssn'] });
 * redact({ user: { ssn: '078-05-1120' } }); // { user: { ssn: '[Redacted]' } }
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const words = [...DEFAULT_REDACT_KEYS, ...(options.keys ?? []).map(normalizeKey)].filter(Boolean);
  const censor = options.censor ?? '[Redacted]';
  const maxDepth = options.maxDepth ?? 16;
  const maxNodes = options.maxNodes ?? 5000;
  // bench "logger lines/s": most keys end in a letter no censored word ends in, so one charCode test
  // settles them before any lower-casing or cache lookup.
  const lastChars = new Set<number>();
  for (const word of words) {
    const last = word.charCodeAt(word.length - 1);
    lastChars.add(last);
    lastChars.add(String.fromCharCode(last).toUpperCase().charCodeAt(0));
  }
  const verdicts = new Map<string, boolean>();

  function isSensitive(key: string): boolean {
    if (!lastChars.has(key.charCodeAt(key.length - 1))) return false;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const normalized = normalizeKey(key);
      verdict = words.some((word) => normalized.endsWith(word));
      if (verdicts.size < KEY_CACHE_LIMIT) verdicts.set(key, verdict);
    }
    return verdict;
  }

  let budget = 0;
  const ancestors: object[] = [];

  function walk(input: unknown, depth: number): unknown {
    if (typeof input !== 'object' || input === null) return input;
    let value: object = input;
    if (value instanceof Error) {
      value = stdSerializers.err(value);
    } else if (ArrayBuffer.isView(value) || value instanceof Date || value instanceof RegExp) {
      return value;
    } else if (value instanceof Headers) {
      value = Object.fromEntries(value);
    } else if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      // JSON.stringify would call toJSON anyway; calling it first lets us walk what will be written.
      const json: unknown = (value as { toJSON: () => unknown }).toJSON();
      if (typeof json !== 'object' || json === null) return json;
      value = json;
    }
    if (ancestors.includes(value)) return CIRCULAR;
    if (depth >= maxDepth || --budget < 0) return TRUNCATED;
    ancestors.push(value);
    let copy: Record<string, unknown> | unknown[] | undefined;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        const result = walk(item, depth + 1);
        if (result !== item) {
          const items: unknown[] = (copy as unknown[] | undefined) ?? value.slice();
          items[index] = result;
          copy = items;
        }
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        const result = item !== undefined && isSensitive(key) ? censor : walk(item, depth + 1);
        if (result !== item) {
          copy ??= { ...record };
          (copy as Record<string, unknown>)[key] = result;
        }
      }
    }
    ancestors.pop();
    return copy ?? value;
  }

  return function redact(value: unknown): unknown {
    budget = maxNodes;
    ancestors.length = 0;
    try {
      return walk(value, 0);
    } catch (error) {
      // A throwing getter or toJSON must not take the process down, nor let the unwalked object through.
      return { redactionFailed: error instanceof Error ? error.message : String(error) };
    }
  };
}
