// Typed results a handler returns when plain data is not enough: another status, headers, 201 with
// a Location, 204. Branded with Symbol.for so ESM and CJS builds recognise each other's.

const kReply = Symbol.for('@plinth/handlers.Reply');

/** A status with its body and headers, as a handler returns it. */
export interface Reply<Status extends number = number, Body = unknown> {
  readonly [kReply]: true;
  readonly status: Status;
  readonly body: Body;
  readonly headers: Record<string, string> | undefined;
}

/** Options of {@link reply}. */
export interface ReplyOptions {
  headers?: Record<string, string>;
}

/**
 * A response with this status and body (serialized through the definition's schema for that status).
 *
 * @example
 * if (!user) return reply(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'USER_NOT_FOUND' });
 */
export function reply<const Status extends number, Body = undefined>(
  status: Status,
  body?: Body,
  options: ReplyOptions = {},
): Reply<Status, Body> {
  return { [kReply]: true, status, body: body as Body, headers: options.headers };
}

/** 201 Created with the new resource, and its `Location` when given. */
export function created<Body>(
  body: Body,
  options: ReplyOptions & { location?: string } = {},
): Reply<201, Body> {
  const headers =
    options.location === undefined ? options.headers : { ...options.headers, location: options.location };
  return { [kReply]: true, status: 201, body, headers };
}

/** 204 No Content. */
export function noContent(options: ReplyOptions = {}): Reply<204, undefined> {
  return { [kReply]: true, status: 204, body: undefined, headers: options.headers };
}

/** Internal: whether a handler's return value is a {@link Reply}. */
export function isReply(value: unknown): value is Reply {
  return value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[kReply] === true;
}
