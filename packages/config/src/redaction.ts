// How the loaded configuration protects its secrets: secret fields are non-enumerable getters, so generic
// serializers (JSON.stringify, pino, util.inspect, spread, structuredClone, Object.keys) never reach
// them, while `config.DB_PASSWORD` reads the real value; the whole object is deep-frozen.

import { inspect } from 'node:util';
import { isSecretName } from './secret-name.js';

/** What a secret's value is replaced with in the JSON and inspect views of the configuration. */
export const redactedValue = '[redacted]';

/** A plain object (a parsed JSON value), as opposed to a Date, URL or class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Turns one own property into a non-enumerable getter of the same value: absent from enumeration,
 * and even `util.inspect` with `showHidden` (console.dir skips custom inspection) prints `[Getter]`.
 */
function hide(target: object, key: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor === undefined || !('value' in descriptor)) return;
  const { value } = descriptor;
  Object.defineProperty(target, key, { get: () => value, enumerable: false, configurable: false });
}

/**
 * Hides the keys of nested plain objects (a JSON variable such as `OAUTH={"clientSecret":...}`) whose
 * names are secret by the shared rule, and freezes everything; frozen values are not entered again,
 * so cycles end.
 */
function sealNested(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  if (isPlainObject(value)) for (const key of Object.keys(value)) if (isSecretName(key)) hide(value, key);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) sealNested((value as Record<PropertyKey, unknown>)[key]);
}

const secretKeysOf = new WeakMap<object, ReadonlySet<string>>();

/** The configuration with every field, secrets as `[redacted]`; `this` is the configuration. */
function redactedView(this: object): Record<string, unknown> {
  const secretKeys = secretKeysOf.get(this);
  const view: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(this)) {
    if (key === 'toJSON') continue;
    const value = (this as Record<string, unknown>)[key];
    view[key] = secretKeys?.has(key) === true && value !== undefined ? redactedValue : value;
  }
  return view;
}

function inspectRedacted(this: object, _depth: number, options: object): string {
  return inspect(redactedView.call(this), options);
}

/**
 * Seals the configuration: the fields in `secretKeys` become non-enumerable (absent from
 * `Object.keys`, `{ ...config }`, `structuredClone`), `toJSON` (JSON.stringify, pino) and
 * `util.inspect` (console.log, console.dir) show them as `[redacted]`, nested keys named like
 * secrets are hidden too, and everything is deep-frozen.
 */
export function sealConfig<T extends object>(config: T, secretKeys: ReadonlySet<string>): T {
  secretKeysOf.set(config, secretKeys);
  for (const key of secretKeys) hide(config, key);
  Object.defineProperty(config, 'toJSON', { value: redactedView });
  Object.defineProperty(config, inspect.custom, { value: inspectRedacted });
  sealNested(config);
  return config;
}
