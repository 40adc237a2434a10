// What the loader knows about each variable before reading any value: its name, how to coerce it,
// whether it is a secret, its description and default. Read from helper marks, the schema's input
// JSON Schema (Standard JSON Schema) and the definition, once per schema.

import { type CoercionKind, describeKind } from './coercion-kind.js';
import type { ConfigDefinition, ConfigSchema } from './definition.js';
import { ConfigError } from './errors.js';
import { isRecord, type JsonSchema, readJsonSchemaKind } from './json-schema-kind.js';
import { findSchemaMark } from './schema-marks.js';
import { isSecretName } from './secret-name.js';
import { isStandardSchema } from './standard-schema.js';

/** Everything known about one variable. */
export interface VariableInfo {
  /** The variable name. */
  readonly key: string;
  /** How its string is coerced. */
  readonly kind: CoercionKind;
  /** How each item is coerced when `kind` is `list`. */
  readonly itemKind: CoercionKind;
  /** The list separator. */
  readonly separator: string;
  /** Whether a string that cannot be coerced is handed to the validator unchanged. */
  readonly lenient: boolean;
  /** The expected type, in words. */
  readonly expected: string;
  /** Whether the schema marks it as a secret. */
  readonly secret: boolean;
  /** Its description, if any. */
  readonly description: string | undefined;
  /** Its default, when the schema declares one. */
  readonly defaultValue: { readonly value: unknown } | undefined;
  /** Whether it must be set (false when optional or defaulted). */
  readonly required: boolean;
}

/** What is known about a schema: the variable names (when it can be introspected) and each variable. */
export interface SchemaAnalysis {
  /** `record` for a record of schemas, `object` for one object schema. */
  readonly mode: 'record' | 'object';
  /** The variable names, or `undefined` when the schema cannot be introspected. */
  readonly keys: readonly string[] | undefined;
  /** What is known about each variable. */
  readonly variables: ReadonlyMap<string, VariableInfo>;
}

const jsonSchemaOptions = { target: 'draft-2020-12', libraryOptions: { unrepresentable: 'any' } } as const;

/** The input JSON Schema of a schema, when its validator implements Standard JSON Schema. */
function inputJsonSchema(schema: unknown): JsonSchema | undefined {
  if (!isStandardSchema(schema)) return undefined;
  try {
    return schema['~standard'].jsonSchema?.input(jsonSchemaOptions);
  } catch {
    // A validator may throw for types JSON Schema cannot express; coercion then falls back to strings.
    return undefined;
  }
}

/** The member schemas of an object schema: zod's `shape`, valibot's `entries`. */
function objectMembers(schema: object): Record<string, unknown> | undefined {
  const candidate = schema as { shape?: unknown; entries?: unknown };
  for (const members of [candidate.shape, candidate.entries]) {
    // Only objects are checked here: touching zod's lazy `~standard` on every member costs at start.
    if (isRecord(members) && Object.values(members).every((member) => typeof member === 'object')) {
      return members;
    }
  }
  return undefined;
}

/** Validates `undefined` against a member: tells whether it is optional and what its default is. */
function probeMissing(member: unknown): { required: boolean; defaultValue?: { value: unknown } } | undefined {
  if (!isStandardSchema(member)) return undefined;
  try {
    const result = member['~standard'].validate(undefined);
    if (result instanceof Promise) {
      result.catch(() => undefined);
      return undefined;
    }
    if (result.issues !== undefined) return { required: true };
    return result.value === undefined
      ? { required: false }
      : { required: false, defaultValue: { value: result.value } };
  } catch {
    return undefined;
  }
}

function describeVariable(
  key: string,
  member: unknown,
  property: JsonSchema | undefined,
  requiredByObject: boolean | undefined,
): VariableInfo {
  const mark = findSchemaMark(member);
  const reading = property === undefined ? undefined : readJsonSchemaKind(property);
  const kind = mark?.kind ?? reading?.kind ?? 'string';
  const itemKind = mark?.itemKind ?? reading?.itemKind ?? 'string';
  const separator = mark?.separator ?? ',';
  const probe = property !== undefined && requiredByObject !== undefined ? undefined : probeMissing(member);
  const zodDescription = (member as { description?: unknown } | undefined)?.description;
  const defaultValue =
    property !== undefined && 'default' in property
      ? { value: property.default }
      : (mark?.defaultValue ?? probe?.defaultValue);
  return {
    key,
    kind,
    itemKind,
    separator,
    lenient: mark?.kind === undefined ? (reading?.lenient ?? true) : false,
    expected:
      mark?.kind === undefined && reading !== undefined
        ? reading.expected
        : describeKind(kind, itemKind, separator),
    secret:
      mark?.secret === true || property?.secret === true || property?.writeOnly === true || isSecretName(key),
    description:
      mark?.description ??
      (typeof property?.description === 'string' ? property.description : undefined) ??
      (typeof zodDescription === 'string' ? zodDescription : undefined),
    defaultValue,
    required: defaultValue === undefined && (requiredByObject ?? probe?.required ?? true),
  };
}

function analyzeSchema(schema: ConfigSchema): SchemaAnalysis {
  const variables = new Map<string, VariableInfo>();
  if (!isStandardSchema(schema)) {
    for (const [key, member] of Object.entries(schema)) {
      if (!isStandardSchema(member)) {
        throw new ConfigError(
          'ERR_CONFIG_DEFINITION',
          `schema.${key} is not a Standard Schema; give each variable a schema (z.string(), env.number() ...).`,
        );
      }
      variables.set(key, describeVariable(key, member, inputJsonSchema(member), undefined));
    }
    return { mode: 'record', keys: [...variables.keys()], variables };
  }
  const whole = inputJsonSchema(schema);
  if (typeof whole?.type === 'string' && whole.type !== 'object') {
    throw new ConfigError(
      'ERR_CONFIG_DEFINITION',
      `The schema describes a ${whole.type}, not an object of variables; use z.object({...}) or a record of schemas.`,
    );
  }
  const properties = isRecord(whole?.properties) ? whole.properties : undefined;
  const required = Array.isArray(whole?.required) ? new Set(whole.required) : undefined;
  const members = objectMembers(schema);
  const keys =
    members !== undefined ? Object.keys(members) : properties ? Object.keys(properties) : undefined;
  for (const key of keys ?? []) {
    const member = members?.[key];
    const property = isRecord(properties?.[key]) ? properties[key] : inputJsonSchema(member);
    variables.set(key, describeVariable(key, member, property, required?.has(key)));
  }
  return { mode: 'object', keys, variables };
}

// One analysis per schema object: re-loading with the same schema (tests, benchmarks) skips it.
const analyses = new WeakMap<object, SchemaAnalysis>();

/** What is known about each variable of a definition, with its `secrets` and `describe` applied. */
export function analyzeDefinition(definition: ConfigDefinition): SchemaAnalysis {
  const { schema } = definition;
  if (typeof schema !== 'object' || schema === null) {
    throw new ConfigError(
      'ERR_CONFIG_DEFINITION',
      'The definition needs a schema: a Standard Schema of an object (z.object({...})) or a record of schemas.',
    );
  }
  let analysis = analyses.get(schema);
  if (analysis === undefined) {
    analysis = analyzeSchema(schema);
    analyses.set(schema, analysis);
  }
  if (definition.secrets === undefined && definition.describe === undefined) return analysis;
  const secrets = new Set(definition.secrets);
  const declared = analysis.keys;
  const unknown = declared === undefined ? [] : [...secrets].filter((key) => !declared.includes(key));
  if (unknown.length > 0) {
    throw new ConfigError(
      'ERR_CONFIG_DEFINITION',
      `secrets names ${unknown.join(', ')}, which the schema does not declare; fix the name or add it to the schema.`,
    );
  }
  const variables = new Map<string, VariableInfo>();
  for (const [key, info] of analysis.variables) {
    variables.set(key, {
      ...info,
      secret: info.secret || secrets.has(key),
      description: definition.describe?.[key] ?? info.description,
    });
  }
  return { ...analysis, variables };
}
