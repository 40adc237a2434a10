// How the loaded configuration protects its secrets: deep-frozen, and redacted wherever it is
// serialized (JSON.stringify, pino, util.inspect / console.log) while the program reads the real value.

import { inspect } from 'node:util';

/** What a secret's value is replaced with in serialized output. */
export const redactedValue = '[redacted]';

/** Freezes a value and everything it holds; frozen objects are not entered again (cycles end). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
}

const secretKeysOf = new WeakMap<object, ReadonlySet<string>>();

/** The configuration with its secrets' values replaced; `this` is the configuration. */
function redactedView(this: object): Record<string, unknown> {
  const secretKeys = secretKeysOf.get(this);
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(this)) {
    view[key] = secretKeys?.has(key) === true && value !== undefined ? redactedValue : value;
  }
  return view;
}

function inspectRedacted(this: object, _depth: number, options: object): string {
  return inspect(redactedView.call(this), options);
}

/**
 * Freezes the configuration deeply and gives it a `toJSON` and a `util.inspect` view in which the
 * values of `secretKeys` read `[redacted]`. Both are non-enumerable: `Object.keys` and the typed
 * properties are untouched.
 */
export function sealConfig<T extends object>(config: T, secretKeys: ReadonlySet<string>): T {
  secretKeysOf.set(config, secretKeys);
  Object.defineProperty(config, 'toJSON', { value: redactedView });
  Object.defineProperty(config, inspect.custom, { value: inspectRedacted });
  deepFreeze(config);
  return config;
}
