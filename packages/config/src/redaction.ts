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

/**
 * Freezes the configuration deeply and gives it a `toJSON` and a `util.inspect` view in which the
 * values of `secretKeys` read `[redacted]`. Both are non-enumerable: `Object.keys` and the typed
 * properties are untouched.
 */
export function sealConfig<T extends object>(config: T, secretKeys: ReadonlySet<string>): T {
  const redacted = (): Record<string, unknown> => {
    const view: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      view[key] = secretKeys.has(key) && value !== undefined ? redactedValue : value;
    }
    return view;
  };
  Object.defineProperties(config, {
    toJSON: { value: redacted, enumerable: false },
    [inspect.custom]: {
      value: (_depth: number, options: object) => inspect(redacted(), options),
      enumerable: false,
    },
  });
  deepFreeze(config);
  return config;
}
