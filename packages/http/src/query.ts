// Typed access to the query string: one value, every value of a repeated key, numbers and booleans
// that answer 400 when malformed instead of leaking NaN into handlers.
import { HttpError } from './errors.js';

/** The query string of a request, parsed on first use. */
export interface Query {
  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined;
  /** Every value of a repeated key (`?tag=a&tag=b`), in order. */
  all(name: string): string[];
  /** Whether `name` is present (even empty). */
  has(name: string): boolean;
  /** `name` as a finite number; undefined when absent; a 400 `HttpError` when not a number. */
  number(name: string): number | undefined;
  /** `name` as a safe integer; undefined when absent; a 400 `HttpError` otherwise. */
  integer(name: string): number | undefined;
  /** `true`/`1`/`yes`/`on`/empty → true, `false`/`0`/`no`/`off` → false; undefined when absent; else 400. */
  boolean(name: string): boolean | undefined;
  /** Every key: a string, or an array for repeated keys, in a null-prototype object. */
  toObject(): Record<string, string | string[]>;
  /** The underlying `URLSearchParams`. */
  readonly params: URLSearchParams;
}

function invalidQuery(name: string, expected: string): HttpError {
  return new HttpError(400, `Query parameter "${name}" must be ${expected}.`, {
    code: 'INVALID_QUERY',
  });
}

const truthy = new Set(['true', '1', 'yes', 'on', '']);
const falsy = new Set(['false', '0', 'no', 'off']);

/** Creates a {@link Query} over a search string (with or without the leading `?`). */
export function createQuery(search: string): Query {
  let parsed: URLSearchParams | undefined;
  const params = () => {
    parsed ??= new URLSearchParams(search);
    return parsed;
  };
  return {
    get: (name) => params().get(name) ?? undefined,
    all: (name) => params().getAll(name),
    has: (name) => params().has(name),
    number(name) {
      const value = params().get(name);
      if (value === null) return undefined;
      const number = value.trim() === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(number)) throw invalidQuery(name, 'a number');
      return number;
    },
    integer(name) {
      const value = params().get(name);
      if (value === null) return undefined;
      const number = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(number)) throw invalidQuery(name, 'an integer');
      return number;
    },
    boolean(name) {
      const value = params().get(name);
      if (value === null) return undefined;
      const lower = value.toLowerCase();
      if (truthy.has(lower)) return true;
      if (falsy.has(lower)) return false;
      throw invalidQuery(name, 'true or false');
    },
    toObject() {
      const record: Record<string, string | string[]> = Object.create(null);
      for (const [key, value] of params()) {
        const existing = record[key];
        if (existing === undefined) record[key] = value;
        else if (Array.isArray(existing)) existing.push(value);
        else record[key] = [existing, value];
      }
      return record;
    },
    get params() {
      return params();
    },
  };
}
