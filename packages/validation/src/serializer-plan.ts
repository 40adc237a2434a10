// The plan of a response serializer: a zod schema's structure read once (`_zod.def`) into the few
// node kinds the serializer writes directly; anything else is a `validated` node, written by running
// that part of the schema and stringifying its (already field-filtered) output.
import type { StandardSchemaV1 } from './standard-schema.js';

/** One node of a serializer plan. */
export type PlanNode =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'bigint' | 'date' | 'null' | 'primitive' | 'any' }
  | { readonly kind: 'optional'; readonly inner: PlanNode }
  | { readonly kind: 'nullable'; readonly inner: PlanNode }
  | { readonly kind: 'default'; readonly inner: PlanNode; readonly value: () => unknown }
  | { readonly kind: 'object'; readonly properties: ReadonlyArray<readonly [string, PlanNode]> }
  | { readonly kind: 'array'; readonly item: PlanNode }
  | { readonly kind: 'tuple'; readonly items: readonly PlanNode[] }
  | { readonly kind: 'record'; readonly value: PlanNode }
  | { readonly kind: 'validated'; readonly schema: StandardSchemaV1 };

interface ZodDef {
  type?: unknown;
  shape?: Record<string, unknown>;
  element?: unknown;
  items?: unknown[];
  rest?: unknown;
  valueType?: unknown;
  innerType?: unknown;
  defaultValue?: unknown;
}

/** The zod definition of a schema, when it is a zod 4 schema. */
export function zodDef(schema: unknown): ZodDef | undefined {
  const def = (schema as { _zod?: { def?: ZodDef } } | null)?._zod?.def;
  return typeof def === 'object' && def !== null && typeof def.type === 'string' ? def : undefined;
}

const scalars: Record<string, PlanNode['kind']> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  bigint: 'bigint',
  date: 'date',
  null: 'null',
  literal: 'primitive',
  enum: 'primitive',
  template_literal: 'string',
  any: 'any',
  unknown: 'any',
};

function validatedNode(schema: unknown): PlanNode {
  return { kind: 'validated', schema: schema as StandardSchemaV1 };
}

function planObject(def: ZodDef, stack: Set<unknown>): PlanNode {
  const properties: Array<readonly [string, PlanNode]> = [];
  // A getter-defined member (a recursive schema) is read here, once, at compile time.
  for (const [key, member] of Object.entries(def.shape ?? {})) properties.push([key, planOf(member, stack)]);
  return { kind: 'object', properties };
}

function planTuple(def: ZodDef, stack: Set<unknown>): PlanNode {
  return { kind: 'tuple', items: (def.items ?? []).map((item) => planOf(item, stack)) };
}

function planDefinition(schema: unknown, def: ZodDef, stack: Set<unknown>): PlanNode {
  const type = def.type as string;
  const scalar = scalars[type];
  if (scalar !== undefined) return { kind: scalar } as PlanNode;
  switch (type) {
    case 'object':
      return planObject(def, stack);
    case 'array':
      return { kind: 'array', item: planOf(def.element, stack) };
    case 'tuple':
      // A rest element has no fixed position: such a tuple is written through the schema.
      return def.rest === undefined || def.rest === null ? planTuple(def, stack) : validatedNode(schema);
    case 'record':
      return { kind: 'record', value: planOf(def.valueType, stack) };
    case 'optional':
      return { kind: 'optional', inner: planOf(def.innerType, stack) };
    case 'nullable':
      return { kind: 'nullable', inner: planOf(def.innerType, stack) };
    case 'default':
    case 'prefault': {
      const holder = def;
      return { kind: 'default', inner: planOf(def.innerType, stack), value: () => holder.defaultValue };
    }
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return planOf(def.innerType, stack);
    default:
      // union, intersection, pipe, transform, lazy, custom, map, set ...: the schema itself decides.
      return validatedNode(schema);
  }
}

/** The plan of a schema: zod structures read directly, anything else written through `validate`. */
export function planOf(schema: unknown, stack = new Set<unknown>()): PlanNode {
  const def = zodDef(schema);
  // A schema already being planned (a recursive one) is written through its own validate.
  if (def === undefined || stack.has(schema) || stack.size > 64) return validatedNode(schema);
  stack.add(schema);
  try {
    return planDefinition(schema, def, stack);
  } finally {
    stack.delete(schema);
  }
}
