// A handler's return value → status, headers and body: data gets the definition's success status,
// `undefined` 204, a Reply its own; bodies pass through the response schema of their status (which
// drops every field it does not name) before JSON serialization.
import { HandlersError } from './errors.js';
import type { Outgoing } from './outgoing.js';
import { isReply } from './reply.js';
import { type RouteSchema, readResponseEntry, type StandardResult, type StandardSchemaV1 } from './schema.js';

interface ResponseRule {
  schema: StandardSchemaV1 | undefined;
  contentType: string;
  /** Whether a string body is JSON-encoded too: decided once, not per response. */
  json: boolean;
  /** The schema's compiled serializer (the `serializer` option), used instead of validate + stringify. */
  serialize: ((value: unknown) => string) | undefined;
}

/**
 * Makes a JSON serializer for a response schema, once per schema at bind time: the returned function
 * writes a value as the schema shapes it (only the fields it names) and throws when the value does not
 * fit. `createSerializer` of @plinth/validation is one; any function of this shape is.
 */
export type SerializerFactory = (schema: StandardSchemaV1) => (value: unknown) => string;

/** Internal: how one definition answers. */
export interface ResponsePlan {
  /** The status of plain data: the lowest declared 2xx other than 204, else 200. */
  readonly successStatus: number;
  /** The rule of `successStatus`, looked up once. */
  readonly successRule: ResponseRule | undefined;
  rule(status: number): ResponseRule | undefined;
}

/** Internal: compiles the `response` table of a definition. */
export function compileResponses(schema: RouteSchema, serializer?: SerializerFactory): ResponsePlan {
  const rules = new Map<string, ResponseRule>();
  for (const [key, entry] of Object.entries(schema.response ?? {})) {
    const { schema: entrySchema, contentType } = readResponseEntry(entry);
    const json = isJson(contentType);
    const serialize = json && entrySchema !== undefined ? serializer?.(entrySchema) : undefined;
    rules.set(key.toLowerCase(), { schema: entrySchema, contentType, json, serialize });
  }
  const success = [...rules.keys()]
    .map(Number)
    .filter((status) => status >= 200 && status < 300 && status !== 204)
    .sort((a, b) => a - b);
  const rule = (status: number) =>
    rules.get(String(status)) ?? rules.get(`${Math.floor(status / 100)}xx`) ?? rules.get('default');
  const successStatus = success[0] ?? 200;
  return { successStatus, successRule: rule(successStatus), rule };
}

function isJson(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function invalidResponse(
  where: string,
  status: number,
  issues: StandardResult<unknown>['issues'],
  cause: unknown = issues,
): HandlersError {
  const first = issues?.[0];
  const at =
    first?.path?.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.') ??
    '';
  return new HandlersError(
    'ERR_HANDLERS_INVALID_RESPONSE',
    `${where} answered ${status} with a body its response schema refuses${at === '' ? '' : ` at "${at}"`}: ${first?.message ?? 'invalid'}. Fix the handler's result or the schema.`,
    { cause },
  );
}

// Plain JSON when no rule names a media type.
const JSON_RULE: ResponseRule = {
  schema: undefined,
  contentType: 'application/json',
  json: true,
  serialize: undefined,
};

/** The body through the rule's compiled serializer; what it refuses is reported like a schema's refusal. */
function serialized(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  rule: ResponseRule,
  where: string,
): Outgoing {
  let text: string;
  try {
    text = (rule.serialize as (value: unknown) => string)(body);
  } catch (error) {
    throw invalidResponse(
      where,
      status,
      [{ message: error instanceof Error ? error.message : String(error) }],
      error,
    );
  }
  headers['content-type'] = rule.contentType;
  return { status, headers, body: text };
}

function finish(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  rule: ResponseRule,
): Outgoing {
  headers['content-type'] = rule.contentType;
  const serialized = typeof body === 'string' && !rule.json ? body : JSON.stringify(body);
  return { status, headers, body: serialized };
}

function checked(
  outcome: StandardResult<unknown>,
  status: number,
  headers: Record<string, string>,
  rule: ResponseRule,
  where: string,
): Outgoing {
  if (outcome.issues !== undefined) throw invalidResponse(where, status, outcome.issues);
  return finish(status, headers, outcome.value, rule);
}

/** Internal: turns a handler's result into the outgoing answer. */
export function respond(result: unknown, plan: ResponsePlan, where: string): Outgoing | Promise<Outgoing> {
  let status = plan.successStatus;
  let body = result;
  let headers: Record<string, string> = {};
  let rule = plan.successRule;
  if (isReply(result)) {
    status = result.status;
    body = result.body;
    if (result.headers !== undefined) headers = { ...result.headers };
    rule = plan.rule(status);
  } else if (result === undefined) {
    status = 204;
  }
  if (body === undefined || status === 204 || status === 304) return { status, headers, body: undefined };
  if (rule === undefined) return finish(status, headers, body, JSON_RULE);
  if (rule.schema === undefined) return finish(status, headers, body, rule);
  if (rule.serialize !== undefined) return serialized(status, headers, body, rule, where);
  const outcome = rule.schema['~standard'].validate(body);
  if (!(outcome instanceof Promise)) return checked(outcome, status, headers, rule, where);
  const known = rule;
  return outcome.then((settled) => checked(settled, status, headers, known, where));
}
