// Turning one raw configuration string into the typed value its schema expects, before validation.

import type { CoercionKind } from './coercion-kind.js';
import { parseDuration } from './duration.js';

/** The outcome of coercing one string: the value, or the reason it could not be coerced. */
export type Coerced =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const truthy = new Set(['true', '1', 'yes', 'on']);
const falsy = new Set(['false', '0', 'no', 'off']);

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!decimal.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function coerceScalar(kind: CoercionKind, text: string): Coerced {
  switch (kind) {
    case 'number': {
      const value = parseNumber(text);
      return value === undefined ? { ok: false, reason: 'not a number' } : { ok: true, value };
    }
    case 'integer':
    case 'port': {
      const value = parseNumber(text);
      if (value === undefined || !Number.isInteger(value)) return { ok: false, reason: 'not an integer' };
      if (kind === 'port' && (value < 0 || value > 65_535)) return { ok: false, reason: 'out of range' };
      return { ok: true, value };
    }
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (truthy.has(word)) return { ok: true, value: true };
      if (falsy.has(word)) return { ok: true, value: false };
      return { ok: false, reason: 'not a boolean' };
    }
    case 'url':
      return URL.canParse(text.trim())
        ? { ok: true, value: text.trim() }
        : { ok: false, reason: 'not an absolute URL' };
    case 'duration': {
      const value = parseDuration(text);
      return value === undefined ? { ok: false, reason: 'not a duration' } : { ok: true, value };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        // JSON.parse's message quotes the input, which may be a secret: keep only the verdict.
        return { ok: false, reason: 'not valid JSON' };
      }
    default:
      return { ok: true, value: text };
  }
}

/**
 * Coerces a raw string to `kind`. Lists are split on `separator`, their items trimmed, empty
 * items dropped, and each item coerced to `itemKind`.
 */
export function coerceValue(
  kind: CoercionKind,
  text: string,
  itemKind: CoercionKind = 'string',
  separator = ',',
): Coerced {
  if (kind !== 'list') return coerceScalar(kind, text);
  const items: unknown[] = [];
  const parts = text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const [index, item] of parts.entries()) {
    const coerced = coerceScalar(itemKind, item);
    if (!coerced.ok) return { ok: false, reason: `item ${index + 1} is ${coerced.reason}` };
    items.push(coerced.value);
  }
  return { ok: true, value: items };
}
