// The core: a route schema compiled once into a validator of raw request parts (strings from the
// path, query and headers, the parsed JSON body), answering typed values or one RequestValidationError
// that lists every issue of every part.
import { coercePart, type RawPart } from './coercion.js';
import { RequestBodyError, RequestValidationError, ValidationError } from './errors.js';
import { type SafeIssue, toFieldError, toSafeIssue } from './field-errors.js';
import { type FieldKinds, readFieldKinds } from './field-kinds.js';
import { markedJsonSchema } from './json-schema.js';
import { type RequestPart, type RouteSchema, requestParts, type ValidatedInput } from './route-schema.js';
import { defaultJsonLimits, type JsonLimits } from './safe-json.js';
import { compileCheck, type SchemaCheck, unsure } from './schema-check.js';
import { markedSensitiveNames, type SensitiveTest, sensitiveTest } from './sensitive.js';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';

/** Options of a route's validation. */
export interface ValidationOptions {
  /** The status of a schema failure: 400 (default) or 422. */
  status?: 400 | 422;
  /**
   * Field names whose values are never echoed, besides the shared rule (password, token, key ...) and
   * the fields the schema marks (`.meta({ sensitive: true })` or `writeOnly: true`).
   */
  sensitive?: string[];
  /** Largest JSON body in bytes (default 1 MiB): past it, 413 CONTENT_TOO_LARGE. */
  maxBytes?: number;
  /** Deepest JSON nesting (default 64): past it, 400 MALFORMED_BODY. */
  maxDepth?: number;
}

/** The option of the Express and Fastify adapters that hands request errors to the host. */
export interface ForwardErrorsOption {
  /**
   * Hand validation and body errors (`RequestValidationError`, `RequestBodyError`) to the host's error
   * handling instead of answering problem+json here: Express `next(error)`; in Fastify the plugin then
   * installs no error handler of its own, so the app's (such as @plinth/observability's) answers them and
   * both can share a scope. `false` by default, so the adapter works without an error handler. The fetch
   * middleware always throw.
   */
  forwardErrors?: boolean;
}

/** The raw parts of one request; a part the route does not declare is not read. */
export interface RawRequest {
  /** Path parameters, decoded strings. */
  params?: RawPart | undefined;
  /** The query: strings, arrays of strings for repeated keys. */
  querystring?: RawPart | undefined;
  /** Headers by lower-case name, or a getter of one header. */
  headers?: RawPart | ((name: string) => string | undefined) | undefined;
  /** The parsed JSON body; `undefined` when the request had none. */
  body?: unknown;
}

/**
 * Internal (not exported by the package): set on a RawRequest whose body this package parsed itself,
 * which nothing else holds; the body's compiled check may then answer that very value (schema-check.ts).
 */
export const ownedBody: unique symbol = Symbol('ownedBody');

/** A RawRequest as the adapters that parse the body themselves hand it over. */
export type OwnedRawRequest = RawRequest & { [ownedBody]?: boolean };

/** A compiled route schema. */
export interface RouteValidator<Schema extends RouteSchema = RouteSchema> {
  /** The route schema it was compiled from. */
  readonly schema: Schema;
  /** Whether the route declares a body (adapters read the body only then). */
  readonly hasBody: boolean;
  /** The JSON limits of the body. */
  readonly limits: JsonLimits;
  /** Validates every declared part; throws (or rejects with) one RequestValidationError. */
  validate(raw: RawRequest): ValidatedInput<Schema> | Promise<ValidatedInput<Schema>>;
}

interface CompiledPart {
  readonly part: RequestPart;
  readonly schema: StandardSchemaV1;
  readonly kinds: FieldKinds | undefined;
  /** The compiled check of a zod schema (schema-check.ts); the schema decides what it is unsure of. */
  readonly check: SchemaCheck | undefined;
}

type PartOutcome = { value: unknown; issues?: undefined } | { issues: SafeIssue[] };

function assertOptions(options: ValidationOptions): JsonLimits {
  if (options.status !== undefined && options.status !== 400 && options.status !== 422) {
    throw new ValidationError(
      'ERR_VALIDATION_INVALID_OPTION',
      `status must be 400 or 422, got ${String(options.status)}.`,
    );
  }
  // maxDepth is capped: checking a parsed value for forbidden keys recurses that deep.
  for (const [name, max] of [
    ['maxBytes', Number.MAX_SAFE_INTEGER],
    ['maxDepth', 1000],
  ] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw new ValidationError(
        'ERR_VALIDATION_INVALID_OPTION',
        `${name} must be an integer from 1 to ${max}, got ${String(value)}.`,
      );
    }
  }
  return {
    maxBytes: options.maxBytes ?? defaultJsonLimits.maxBytes,
    maxDepth: options.maxDepth ?? defaultJsonLimits.maxDepth,
  };
}

function compileParts(schema: RouteSchema): CompiledPart[] {
  const parts: CompiledPart[] = [];
  for (const part of requestParts) {
    const partSchema = schema[part];
    if (partSchema === undefined) continue;
    if (!isStandardSchema(partSchema)) {
      throw new ValidationError(
        'ERR_VALIDATION_NOT_A_SCHEMA',
        `schema.${part} is not a Standard Schema; give a zod, valibot or other Standard Schema validator (z.object({...})).`,
      );
    }
    parts.push({
      part,
      schema: partSchema,
      kinds: part === 'body' ? undefined : readFieldKinds(partSchema),
      check: compileCheck(partSchema),
    });
  }
  return parts;
}

// Fields the schemas mark sensitive (`.meta({ sensitive: true })`, `writeOnly`), read once per route.
function markedNames(parts: readonly CompiledPart[]): string[] {
  const names = new Set<string>();
  for (const { schema } of parts) markedSensitiveNames(markedJsonSchema(schema), names);
  return [...names];
}

function headerRecord(headers: RawRequest['headers'], kinds: FieldKinds): RawPart {
  if (typeof headers !== 'function') return headers ?? {};
  const record: Record<string, unknown> = {};
  for (const name of kinds.keys()) {
    const value = headers(name);
    if (value !== undefined) record[name] = value;
  }
  return record;
}

function rawValue(compiled: CompiledPart, raw: RawRequest): unknown {
  const { part, kinds } = compiled;
  if (part === 'body' || kinds === undefined) return raw.body;
  if (part === 'headers') return coercePart(headerRecord(raw.headers, kinds), kinds, true);
  return coercePart((raw[part] as RawPart | undefined) ?? {}, kinds);
}

function emptyInput(): Record<RequestPart, unknown> {
  return { params: undefined, querystring: undefined, headers: undefined, body: undefined };
}

function outcomeOf(
  result: StandardSchemaV1.Result<unknown>,
  part: RequestPart,
  sensitive: SensitiveTest,
): PartOutcome {
  if (result.issues === undefined) return { value: result.value };
  return { issues: result.issues.map((issue) => toSafeIssue(issue, sensitive, [part])) };
}

/**
 * Compiles a route schema (Fastify's `schema` shape, any Standard Schema) into a validator.
 *
 * @example
 * const validator = createRouteValidator({ params: z.object({ id: z.number() }) });
 * const input = await validator.validate({ params: { id: '42' } }); // { params: { id: 42 } ... }
 */
export function createRouteValidator<const Schema extends RouteSchema>(
  schema: Schema,
  options: ValidationOptions = {},
): RouteValidator<Schema> {
  const limits = assertOptions(options);
  const parts = compileParts(schema);
  const sensitive = sensitiveTest([...(options.sensitive ?? []), ...markedNames(parts)]);
  const status = options.status ?? 400;

  const fail = (raw: RawRequest, issues: SafeIssue[]): never => {
    if (
      raw.body === undefined &&
      issues.some((issue) => issue.path.length === 1 && issue.path[0] === 'body')
    ) {
      throw new RequestBodyError(
        'MALFORMED_BODY',
        'The request body is empty; this route expects a JSON body.',
      );
    }
    throw new RequestValidationError(issues.map(toFieldError), { status, issues });
  };

  const finish = (raw: RawRequest, outcomes: PartOutcome[]): ValidatedInput<Schema> => {
    const input = emptyInput();
    const issues: SafeIssue[] = [];
    for (let index = 0; index < parts.length; index++) {
      const outcome = outcomes[index] as PartOutcome;
      if (outcome.issues === undefined) input[(parts[index] as CompiledPart).part] = outcome.value;
      else issues.push(...outcome.issues);
    }
    return issues.length === 0 ? (input as ValidatedInput<Schema>) : fail(raw, issues);
  };

  // Every part synchronous and valid (nearly every request) allocates only the input object.
  const validate = (raw: RawRequest): ValidatedInput<Schema> | Promise<ValidatedInput<Schema>> => {
    const input = emptyInput();
    for (let index = 0; index < parts.length; index++) {
      const compiled = parts[index] as CompiledPart;
      const value = rawValue(compiled, raw);
      const checked =
        compiled.check === undefined
          ? unsure
          : compiled.check(value, compiled.part === 'body' && (raw as OwnedRawRequest)[ownedBody] === true);
      if (checked !== unsure) {
        input[compiled.part] = checked;
        continue;
      }
      const result = compiled.schema['~standard'].validate(value);
      if (result instanceof Promise || result.issues !== undefined) return settle(raw, input, index, result);
      input[compiled.part] = result.value;
    }
    return input as ValidatedInput<Schema>;
  };

  // From the first part that is asynchronous or failed on: every part's outcome, then one answer.
  const settle = (
    raw: RawRequest,
    input: Record<RequestPart, unknown>,
    from: number,
    first: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>,
  ): ValidatedInput<Schema> | Promise<ValidatedInput<Schema>> => {
    const outcomes: Array<PartOutcome | Promise<PartOutcome>> = [];
    let pending = false;
    for (let index = 0; index < parts.length; index++) {
      const { part, schema: partSchema } = parts[index] as CompiledPart;
      if (index < from) {
        outcomes.push({ value: input[part] });
        continue;
      }
      const result =
        index === from
          ? first
          : partSchema['~standard'].validate(rawValue(parts[index] as CompiledPart, raw));
      if (result instanceof Promise) {
        pending = true;
        outcomes.push(result.then((settled) => outcomeOf(settled, part, sensitive)));
      } else outcomes.push(outcomeOf(result, part, sensitive));
    }
    if (!pending) return finish(raw, outcomes as PartOutcome[]);
    return Promise.all(outcomes).then((settled) => finish(raw, settled));
  };

  return { schema, hasBody: schema.body !== undefined, limits, validate };
}
