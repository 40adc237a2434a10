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
}

/** Internal: how one definition answers. */
export interface ResponsePlan {
  /** The status of plain data: the lowest declared 2xx other than 204, else 200. */
  readonly successStatus: number;
  rule(status: number): ResponseRule | undefined;
}

/** Internal: compiles the `response` table of a definition. */
export function compileResponses(schema: RouteSchema): ResponsePlan {
  const rules = new Map<string, ResponseRule>();
  for (const [key, entry] of Object.entries(schema.response ?? {})) {
    const { schema: entrySchema, contentType } = readResponseEntry(entry);
    rules.set(key.toLowerCase(), { schema: entrySchema, contentType });
  }
  const success = [...rules.keys()]
    .map(Number)
    .filter((status) => status >= 200 && status < 300 && status !== 204)
    .sort((a, b) => a - b);
  return {
    successStatus: success[0] ?? 200,
    rule: (status) =>
      rules.get(String(status)) ?? rules.get(`${Math.floor(status / 100)}xx`) ?? rules.get('default'),
  };
}

function isJson(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function invalidResponse(
  where: string,
  status: number,
  issues: StandardResult<unknown>['issues'],
): HandlersError {
  const first = issues?.[0];
  const at =
    first?.path?.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.') ??
    '';
  return new HandlersError(
    'ERR_HANDLERS_INVALID_RESPONSE',
    `${where} answered ${status} with a body its response schema refuses${at === '' ? '' : ` at "${at}"`}: ${first?.message ?? 'invalid'}. Fix the handler's result or the schema.`,
    { cause: issues },
  );
}

function finish(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  rule: ResponseRule | undefined,
): Outgoing {
  const contentType = rule?.contentType ?? 'application/json';
  headers['content-type'] = contentType;
  const serialized = typeof body === 'string' && !isJson(contentType) ? body : JSON.stringify(body);
  return { status, headers, body: serialized };
}

/** Internal: turns a handler's result into the outgoing answer. */
export function respond(result: unknown, plan: ResponsePlan, where: string): Outgoing | Promise<Outgoing> {
  let status = plan.successStatus;
  let body = result;
  let headers: Record<string, string> = {};
  if (isReply(result)) {
    status = result.status;
    body = result.body;
    if (result.headers !== undefined) headers = { ...result.headers };
  } else if (result === undefined) {
    status = 204;
  }
  if (body === undefined || status === 204 || status === 304) return { status, headers, body: undefined };
  const rule = plan.rule(status);
  if (rule?.schema === undefined) return finish(status, headers, body, rule);
  const checked = rule.schema['~standard'].validate(body);
  const done = (outcome: StandardResult<unknown>): Outgoing => {
    if (outcome.issues !== undefined) throw invalidResponse(where, status, outcome.issues);
    return finish(status, headers, outcome.value, rule);
  };
  return checked instanceof Promise ? checked.then(done) : done(checked);
}
