// The hosts' own request errors — express.json()/urlencoded()/text()/raw() (body-parser, raw-body) and
// Fastify's content-type parser, router and schema validation — read as HTTP errors with the wire codes
// @plinth/http answers for the same failure, so a client sees one contract whoever parsed the request.
import { HttpError } from './http-error.js';
import { httpStatus, type ToHttpErrorOptions, validationError } from './problem.js';
import { ajvToFieldErrors } from './validation-issues.js';

/** A failure every Plinth package names the same way (the SEAMS §B table). */
type WireFailure = readonly [status: number, code: string];

const MALFORMED_BODY: WireFailure = [400, 'MALFORMED_BODY'];
const CONTENT_TOO_LARGE: WireFailure = [413, 'CONTENT_TOO_LARGE'];
const UNSUPPORTED_MEDIA_TYPE: WireFailure = [415, 'UNSUPPORTED_MEDIA_TYPE'];

// body-parser 2 and raw-body 3 set `type` on every error they make (node_modules/body-parser/lib/read.js,
// lib/types/urlencoded.js, raw-body/index.js). stream.encoding.set and stream.not.readable are 500s:
// a server fault, answered as such by the general rule.
const bodyParserTypes: Record<string, WireFailure> = {
  'entity.parse.failed': MALFORMED_BODY,
  'request.aborted': MALFORMED_BODY,
  'request.size.invalid': MALFORMED_BODY,
  'querystring.parse.rangeError': MALFORMED_BODY,
  'entity.too.large': CONTENT_TOO_LARGE,
  'parameters.too.many': CONTENT_TOO_LARGE,
  'encoding.unsupported': UNSUPPORTED_MEDIA_TYPE,
  'charset.unsupported': UNSUPPORTED_MEDIA_TYPE,
};

// Fastify 5 (node_modules/fastify/lib/errors.js): the request errors its parser and router raise.
const fastifyCodes: Record<string, WireFailure> = {
  FST_ERR_CTP_INVALID_JSON_BODY: MALFORMED_BODY,
  FST_ERR_CTP_EMPTY_JSON_BODY: MALFORMED_BODY,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: MALFORMED_BODY,
  FST_ERR_CTP_BODY_TOO_LARGE: CONTENT_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED_MEDIA_TYPE,
};

/** An error from Express's router or body parsers as the Plinth wire error; anything else as it is. */
export function fromExpressError(error: unknown): unknown {
  const candidate = asRecord(error);
  if (candidate === undefined) return error;
  const status = httpStatus(candidate);
  // router 2 (lib/layer.js) marks a path parameter it cannot percent-decode as a 400 URIError.
  if (status === 400 && error instanceof URIError) return malformedUrl(error);
  const type = candidate.type;
  // body-parser's `type` is a dotted name, never a problem type URI: read it, and never send it.
  if (status === undefined || typeof type !== 'string' || !/^[a-z]+(\.[a-z]+)+$/i.test(type)) return error;
  const failure = bodyParserTypes[type];
  if (failure !== undefined) return wireError(failure, candidate);
  return new HttpError(status, messageOf(candidate), {
    cause: error,
    ...(typeof candidate.expose === 'boolean' ? { expose: candidate.expose } : {}),
  });
}

/** An error from Fastify (its parser, router or ajv validation) as the Plinth wire error; anything else as it is. */
export function fromFastifyError(error: unknown, options: ToHttpErrorOptions = {}): unknown {
  const candidate = asRecord(error);
  if (candidate === undefined) return error;
  const code = candidate.code;
  const status = httpStatus(candidate);
  if (code === 'FST_ERR_VALIDATION' && Array.isArray(candidate.validation)) {
    return validationError(ajvToFieldErrors(candidate.validation), error, options.validationStatus);
  }
  if (code === 'FST_ERR_BAD_URL') return malformedUrl(error);
  if (typeof code === 'string' && code.startsWith('FST_')) {
    const failure = fastifyCodes[code];
    if (failure !== undefined) return wireError(failure, candidate);
    // Fastify's other codes are its internals: the wire gets the status's code (SEAMS §B), the log the error.
    if (status !== undefined) return new HttpError(status, messageOf(candidate), { cause: error });
    return error;
  }
  // A custom content-type parser's SyntaxError, or the body stream failing mid-read (the client aborted,
  // ECONNRESET): Fastify marks both 400 (lib/content-type-parser.js) and they are malformed bodies.
  if (status === 400 && (error instanceof SyntaxError || isSystemErrorCode(code))) {
    return wireError(MALFORMED_BODY, candidate);
  }
  return error;
}

// The hosts' messages quote the target (Fastify's with its query, which can hold secrets); the problem's
// `instance` names the path already.
function malformedUrl(cause: unknown): HttpError {
  return new HttpError(400, "The URL is not valid: a '%' must start a percent-escape such as %20.", {
    code: 'MALFORMED_URL',
    cause,
  });
}

function wireError([status, code]: WireFailure, cause: Record<string, unknown>): HttpError {
  return new HttpError(status, messageOf(cause), { code, cause });
}

function messageOf(candidate: Record<string, unknown>): string {
  return typeof candidate.message === 'string' ? candidate.message : '';
}

function isSystemErrorCode(code: unknown): boolean {
  return typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code);
}

function asRecord(error: unknown): Record<string, unknown> | undefined {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : undefined;
}
