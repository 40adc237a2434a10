// Deep redaction of log objects: one bounded walk that censors sensitive keys at any depth, copy-on-write.
import { stdSerializers } from 'pino';

/** Options of {@link createRedactor} (and of `createLogger({ redact })`). */
export interface RedactOptions {
  /**
   * Extra words to censor, on top of the default rule. A key matches when its name, lower-cased with
   * `-`, `_` and `.` removed, contains a word: `ssn` also censors `user_ssn` and `SSN-last4`.
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

/**
 * The one redaction rule every Plinth package shares (SEAMS §F): a key is secret when its name,
 * lower-cased with `-`, `_` and `.` removed, contains one of these words. The first seven are the whole
 * rule @plinth/config applies to secrets; logs add card data, identity numbers, tokens and session state.
 */
export const DEFAULT_REDACT_WORDS: readonly string[] = [
  'secret',
  'private',
  'credential',
  'password',
  'passwd',
  'token',
  'key',
  'cvv',
  'cvc',
  'ssn',
  'jwt',
  'cookie',
  'authorization',
  'session',
  'cardnumber',
  'ccnumber',
];

/** Names secret only as a whole (after the same normalisation): `pan` is a card number, `span` is not. */
export const DEFAULT_REDACT_NAMES: readonly string[] = ['pan'];

const TRUNCATED = '[Truncated]';
const CIRCULAR = '[Circular]';
// Key verdicts are cached; real logs reuse a small vocabulary of keys, so the cap is rarely reached.
const KEY_CACHE_LIMIT = 10_000;

/** The normalised form of a key name: lower case, without `-`, `_` and `.`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_.]/g, '');
}

/** Whether a key is secret by the rule: its normalised name contains a word, or is one of `names`. */
export function keyMatcher(
  words: readonly string[],
  names: readonly string[] = DEFAULT_REDACT_NAMES,
): (key: string) => boolean {
  const wholeNames = new Set(names);
  return (key) => {
    const normalized = normalizeKey(key);
    if (wholeNames.has(normalized)) return true;
    for (const word of words) if (normalized.includes(word)) return true;
    return false;
  };
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
  const words = [...DEFAULT_REDACT_WORDS, ...(options.keys ?? []).map(normalizeKey)].filter(Boolean);
  const censor = options.censor ?? '[Redacted]';
  const maxDepth = options.maxDepth ?? 16;
  const maxNodes = options.maxNodes ?? 5000;
  const matches = keyMatcher(words);
  // bench "logger lines/s": one Map lookup per key; the rule (lower-case, strip, 16 substring searches)
  // runs once per distinct key name.
  const verdicts = new Map<string, boolean>();

  function isSensitive(key: string): boolean {
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = matches(key);
      if (verdicts.size < KEY_CACHE_LIMIT) verdicts.set(key, verdict);
    }
    return verdict;
  }

  let budget = 0;
  const ancestors: object[] = [];

  // What JSON.stringify would write for an object: a leaf to keep, a primitive, or an object to walk.
  function normalize(value: object): unknown {
    if (value instanceof Error) return stdSerializers.err(value);
    if (value instanceof Headers) return Object.fromEntries(value);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    // JSON.stringify would call toJSON anyway (Date, URL, Decimal…); calling it first lets us walk the result.
    if (typeof toJSON === 'function') return toJSON.call(value);
    return value;
  }

  function walk(input: object, depth: number): unknown {
    let value = input;
    // bench "logger lines/s": plain objects and arrays are nearly all we see; they skip the instanceof
    // ladder and pay one property lookup for toJSON.
    if (!Array.isArray(value)) {
      const proto: unknown = Object.getPrototypeOf(value);
      const plain = proto === Object.prototype || proto === null;
      if (!plain || (value as { toJSON?: unknown }).toJSON !== undefined) {
        if (ArrayBuffer.isView(value)) return value;
        const normalized = normalize(value);
        if (typeof normalized !== 'object' || normalized === null) return normalized;
        value = normalized;
      }
    }
    if (ancestors.includes(value)) return CIRCULAR;
    if (depth >= maxDepth || --budget < 0) return TRUNCATED;
    ancestors.push(value);
    let copy: Record<string, unknown> | unknown[] | undefined;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        // bench "logger lines/s": primitives are settled here, without a call.
        if (typeof item !== 'object' || item === null) continue;
        const result = walk(item, depth + 1);
        if (result !== item) {
          const items: unknown[] = (copy as unknown[] | undefined) ?? value.slice();
          items[index] = result;
          copy = items;
        }
      }
    } else {
      const record = value as Record<string, unknown>;
      // bench "logger lines/s" (nested request with headers): for-in over own enumerable keys uses V8's
      // enum cache instead of allocating a key array per object; the own-property test keeps Object.keys'
      // semantics for inherited enumerable keys (class instances whose prototypes have fields).
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const item = record[key];
        let result: unknown;
        if (item !== undefined && isSensitive(key)) result = censor;
        else if (typeof item !== 'object' || item === null) continue;
        else result = walk(item, depth + 1);
        if (result !== item) {
          copy ??= { ...record };
          (copy as Record<string, unknown>)[key] = result;
        }
      }
    }
    ancestors.pop();
    return copy ?? value;
  }

  // bench "logger lines/s": most log objects are one flat literal of primitives with harmless keys. One
  // for-in pass (V8's enum cache, no key array) proves that and skips the walk's bookkeeping entirely.
  function isFlatAndHarmless(record: Record<string, unknown>): boolean {
    if (Object.getPrototypeOf(record) !== Object.prototype) return false;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'object' ? item !== null : item !== undefined && isSensitive(key)) return false;
    }
    return true;
  }

  return function redact(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    budget = maxNodes;
    // bench "logger lines/s": a balanced walk leaves the stack empty; only a throw leaves it dirty, and
    // setting an array's length is not free (1.4% of the nested case's profile).
    if (ancestors.length !== 0) ancestors.length = 0;
    try {
      if (isFlatAndHarmless(value as Record<string, unknown>)) return value;
      return walk(value, 0);
    } catch (error) {
      // A throwing getter or toJSON must not take the process down, nor let the unwalked object through.
      return { redactionFailed: error instanceof Error ? error.message : String(error) };
    }
  };
}
