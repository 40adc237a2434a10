// Marks that helpers such as `secret()` and `env.duration()` attach to a schema: how its string is
// coerced and whether it is a secret. Kept in a registry shared by every copy of the package (ESM and
// CJS, or two versions), so a schema marked by one copy is understood by another.

import type { CoercionKind } from './coercion-kind.js';

/** What a helper recorded about a schema. */
export interface SchemaMark {
  /** How the raw string is coerced before validation. */
  readonly kind?: CoercionKind;
  /** The kind of each item when `kind` is `list`. */
  readonly itemKind?: CoercionKind;
  /** The separator when `kind` is `list`. */
  readonly separator?: string;
  /** Whether the value is a secret. */
  readonly secret?: boolean;
  /** A description for `.env.example` and error messages. */
  readonly description?: string;
  /** Whether a default was declared, and which (standalone helpers only). */
  readonly defaultValue?: { readonly value: unknown };
}

const registryKey = Symbol.for('@plinth/config.schema-marks');

function registry(): WeakMap<object, SchemaMark> {
  const holder = globalThis as { [registryKey]?: WeakMap<object, SchemaMark> };
  holder[registryKey] ??= new WeakMap();
  return holder[registryKey];
}

/** Records (merges) a mark on a schema object and returns the same object. */
export function markSchema<S extends object>(schema: S, mark: SchemaMark): S {
  const marks = registry();
  marks.set(schema, { ...marks.get(schema), ...mark });
  // zod's .describe() and .meta() return a clone sharing the same `_zod.def`: mark it too.
  const def = zodDef(schema);
  if (def !== undefined) marks.set(def, { ...marks.get(def), ...mark });
  return schema;
}

function zodDef(schema: object): object | undefined {
  const def = (schema as { _zod?: { def?: unknown } })._zod?.def;
  return typeof def === 'object' && def !== null ? def : undefined;
}

// How far to look through wrappers: `.optional().default(x)` nests two; ten is plenty.
const maxUnwrapDepth = 10;

/**
 * The inner schema of a wrapper, duck-typed without importing any validator: zod 4 wrappers
 * (optional, nullable, default, prefault, catch, readonly) keep it in `_zod.def.innerType` and a
 * pipe (`.transform()`, `.pipe()`) its input side in `_zod.def.in`; zod 3 uses `_def.innerType` /
 * `_def.schema`; valibot wrappers use `wrapped`.
 */
function innerSchema(schema: object): object | undefined {
  const zod = schema as {
    _zod?: { def?: { innerType?: unknown; in?: unknown } };
    _def?: { innerType?: unknown; schema?: unknown };
    wrapped?: unknown;
  };
  const candidates = [
    zod._zod?.def?.innerType,
    zod._zod?.def?.in,
    zod._def?.innerType,
    zod._def?.schema,
    zod.wrapped,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'object' && candidate !== null) return candidate;
  }
  return undefined;
}

/**
 * The mark of a schema, looking through wrappers added after the helper
 * (`secret(z.string()).optional()`); marks on outer wrappers win over inner ones.
 */
export function findSchemaMark(schema: unknown): SchemaMark | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const marks = registry();
  let found: SchemaMark | undefined;
  let current: object | undefined = schema;
  for (let depth = 0; current !== undefined && depth < maxUnwrapDepth; depth++) {
    const def = zodDef(current);
    const mark = marks.get(current) ?? (def === undefined ? undefined : marks.get(def));
    if (mark !== undefined) found = { ...mark, ...found };
    current = innerSchema(current);
  }
  return found;
}
