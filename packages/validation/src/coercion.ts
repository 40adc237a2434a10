// Strings from the query, path and headers, turned into what the schema declares (numbers, booleans,
// dates, bigints, lists from repeated keys) before validation. A string that does not read as the
// declared type is left as it is, so the validator's own message names the problem.
import type { FieldKind, FieldKinds, ScalarKind } from './field-kinds.js';

/** Raw values of one request part: a string, or several for a repeated query key. */
export type RawPart = Readonly<Record<string, unknown>>;

const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const integerText = /^[+-]?\d+$/;
// RFC 3339 date or date-time (what JSON Schema's `date` / `date-time` formats mean).
const isoDate = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;
const truthy = new Set(['true', '1', 'yes', 'on']);
const falsy = new Set(['false', '0', 'no', 'off']);

/** One string as `kind`, or the string itself when it does not read as one. */
export function coerceScalar(kind: ScalarKind, text: string): unknown {
  switch (kind) {
    case 'number':
    case 'integer': {
      if (!decimal.test(text)) return text;
      const value = Number(text);
      if (!Number.isFinite(value) || (kind === 'integer' && !Number.isInteger(value))) return text;
      return value;
    }
    case 'boolean': {
      const word = text.toLowerCase();
      return truthy.has(word) ? true : falsy.has(word) ? false : text;
    }
    case 'date': {
      if (!isoDate.test(text)) return text;
      const date = new Date(text);
      return Number.isNaN(date.getTime()) ? text : date;
    }
    case 'bigint':
      return integerText.test(text) ? BigInt(text) : text;
    default:
      return text;
  }
}

function coerceField(field: FieldKind, value: unknown, splitLists: boolean): unknown {
  if (field.array) {
    let items: unknown[];
    if (Array.isArray(value)) items = value;
    else if (typeof value === 'string')
      items = splitLists ? value.split(',').map((item) => item.trim()) : [value];
    else return value;
    return items.map((item) => (typeof item === 'string' ? coerceScalar(field.kind, item) : item));
  }
  return typeof value === 'string' ? coerceScalar(field.kind, value) : value;
}

/**
 * A copy of `raw` with each field the schema declares coerced. `splitLists` reads a list from one
 * comma-separated value (headers, RFC 9110 §5.3); queries get lists from repeated keys.
 */
export function coercePart(raw: RawPart, kinds: FieldKinds, splitLists = false): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name in raw) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = raw[name];
    const field = kinds.get(name);
    // defineProperty, not assignment: a `__proto__` query key stays a plain own property.
    const coerced = field === undefined ? value : coerceField(field, value, splitLists);
    if (name === '__proto__') Object.defineProperty(result, name, { value: coerced, enumerable: true });
    else result[name] = coerced;
  }
  return result;
}

/** The query string as a record: one string per key, an array of strings for a repeated key. */
export function parseQuery(search: string | URLSearchParams): Record<string, string | string[]> {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const result: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of params) {
    const previous = result[name];
    if (previous === undefined) result[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else result[name] = [previous, value];
  }
  return result;
}
