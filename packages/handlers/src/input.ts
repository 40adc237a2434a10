// Validating the request parts against their schemas (SEAMS §I): every failing part is reported at
// once, each issue as { pointer, message, code } with an RFC 6901 pointer rooted at the part.
import { type FieldError, ValidationError } from './errors.js';
import type { RouteSchema, StandardIssue, StandardResult, StandardSchemaV1 } from './schema.js';

/** The request parts a schema can validate, in the order they are checked. */
export type InputPart = 'params' | 'querystring' | 'headers' | 'body';

/** Internal: the raw parts, read on demand (a part without a schema is passed through unread). */
export interface RawInput {
  params: Record<string, string>;
  query(): unknown;
  headers(): unknown;
  body(): unknown;
}

// RFC 6901 §3: "~" is written "~0" and "/" is written "~1".
function escapeSegment(segment: PropertyKey | { readonly key: PropertyKey }): string {
  const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
  return String(typeof key === 'symbol' ? key.description : key)
    .replace(/~/g, '~0')
    .replace(/\//g, '~1');
}

/** Internal: the §I field error of one issue of `part`. */
export function fieldError(part: InputPart, issue: StandardIssue): FieldError {
  let pointer = `/${part}`;
  for (const segment of issue.path ?? []) pointer += `/${escapeSegment(segment)}`;
  const code = (issue as { code?: unknown }).code;
  return { pointer, message: issue.message, code: typeof code === 'string' ? code : 'invalid' };
}

/** The parsed input `handle` receives. */
export interface ParsedInput {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
}

const PARTS: ReadonlyArray<[InputPart, keyof ParsedInput]> = [
  ['params', 'params'],
  ['querystring', 'query'],
  ['headers', 'headers'],
  ['body', 'body'],
];

const UNREAD = Symbol('unread');

/**
 * The input object: validated parts are plain values; query and headers without a schema are read
 * on first access, because on @plinth/http reading every header builds the whole Request (bench
 * "GET /users/:id via app.fetch()", definition without schemas).
 */
class RequestInput implements ParsedInput {
  params: unknown;
  body: unknown = undefined;
  readonly #raw: RawInput;
  #query: unknown = UNREAD;
  #headers: unknown = UNREAD;

  constructor(raw: RawInput) {
    this.#raw = raw;
    this.params = raw.params;
  }

  get query(): unknown {
    if (this.#query === UNREAD) this.#query = this.#raw.query();
    return this.#query;
  }

  set query(value: unknown) {
    this.#query = value;
  }

  get headers(): unknown {
    if (this.#headers === UNREAD) this.#headers = this.#raw.headers();
    return this.#headers;
  }

  set headers(value: unknown) {
    this.#headers = value;
  }

  toJSON(): ParsedInput {
    return { params: this.params, query: this.query, headers: this.headers, body: this.body };
  }
}

/** Internal: a compiled input reader for one definition's schemas. */
export function compileInput(
  schema: RouteSchema,
  status: number,
): (raw: RawInput) => ParsedInput | Promise<ParsedInput> {
  const checked = PARTS.filter(([part]) => schema[part] !== undefined).map(
    ([part, key]) => [part, key, schema[part] as StandardSchemaV1] as const,
  );
  const readsBody = schema.body !== undefined;
  return (raw) => {
    const input = new RequestInput(raw);
    if (checked.length === 0) return input;
    const body = readsBody ? raw.body() : undefined;
    if (body instanceof Promise)
      return body.then((value) => validateParts(input, raw, value, checked, status));
    return validateParts(input, raw, body, checked, status);
  };
}

type Checked = ReadonlyArray<readonly [InputPart, keyof ParsedInput, StandardSchemaV1]>;

function rawValue(part: InputPart, raw: RawInput, body: unknown): unknown {
  switch (part) {
    case 'params':
      return raw.params;
    case 'querystring':
      return raw.query();
    case 'headers':
      return raw.headers();
    default:
      return body;
  }
}

function validateParts(
  input: ParsedInput,
  raw: RawInput,
  body: unknown,
  checked: Checked,
  status: number,
): ParsedInput | Promise<ParsedInput> {
  input.body = body;
  const results: Array<StandardResult<unknown> | Promise<StandardResult<unknown>>> = [];
  let pending = false;
  for (const [part, , schema] of checked) {
    const result = schema['~standard'].validate(rawValue(part, raw, body));
    if (result instanceof Promise) pending = true;
    results.push(result);
  }
  if (pending) return Promise.all(results).then((settled) => collect(input, settled, checked, status));
  return collect(input, results as StandardResult<unknown>[], checked, status);
}

function collect(
  input: ParsedInput,
  results: ReadonlyArray<StandardResult<unknown>>,
  checked: Checked,
  status: number,
): ParsedInput {
  let errors: FieldError[] | undefined;
  let issues: StandardIssue[] | undefined;
  results.forEach((result, index) => {
    const [part, key] = checked[index] as Checked[number];
    if (result.issues === undefined) {
      input[key] = result.value;
      return;
    }
    for (const issue of result.issues) {
      errors ??= [];
      issues ??= [];
      errors.push(fieldError(part, issue));
      issues.push(issue);
    }
  });
  if (errors !== undefined) throw new ValidationError(status, errors, issues ?? []);
  return input;
}
