// One JSON request body for a route with a body schema, whatever the host: absent (undefined),
// or checked for its media type and declared length, read under the limit and parsed safely.
import { assertDeclaredLength, assertJsonContentType } from './body.js';
import { type JsonLimits, parseJsonBytes } from './safe-json.js';

/** What the body reader needs to know of a request. */
export interface BodyHeaders {
  /** The `Content-Type` header. */
  readonly contentType: string | undefined;
  /** The `Content-Length` header. */
  readonly contentLength: string | undefined;
  /** The `Transfer-Encoding` header (a chunked body has no length). */
  readonly transferEncoding: string | undefined;
}

/**
 * Whether the request carries a body (RFC 9112 §6.3): `true` for a length above 0 or a chunked body,
 * `false` for `Content-Length: 0`, `undefined` when the headers do not say (a Request built in code,
 * an HTTP/2 stream): then the body is read to find out.
 */
export function declaresBody(headers: BodyHeaders): boolean | undefined {
  if (headers.transferEncoding !== undefined) return true;
  if (headers.contentLength === undefined) return undefined;
  return headers.contentLength !== '0';
}

/**
 * Checks the headers before a byte is read: throws 415 / 413 for a declared body of the wrong type
 * or length; answers {@link declaresBody}.
 */
export function checkBodyHeaders(headers: BodyHeaders, limits: JsonLimits): boolean | undefined {
  const declared = declaresBody(headers);
  if (declared) {
    assertJsonContentType(headers.contentType);
    assertDeclaredLength(headers.contentLength, limits.maxBytes);
  }
  return declared;
}

/** The parsed value of the bytes read: `undefined` for none, else 415 / 413 / 400 as they deserve. */
export function parseBodyBytes(
  bytes: Uint8Array,
  headers: BodyHeaders,
  declared: boolean | undefined,
  limits: JsonLimits,
): unknown {
  if (bytes.byteLength === 0) return undefined;
  if (!declared) assertJsonContentType(headers.contentType);
  return parseJsonBytes(bytes, limits);
}

/**
 * Reads and parses a JSON body: `undefined` when there is none, else 415 / 413 / 400 as it deserves.
 * `read(maxBytes)` returns the bytes, rejecting past the limit.
 */
export async function readJsonBody(
  headers: BodyHeaders,
  read: (maxBytes: number) => Promise<Uint8Array>,
  limits: JsonLimits,
): Promise<unknown> {
  // A declared body is refused before a byte is read when its type or length is wrong.
  const declared = checkBodyHeaders(headers, limits);
  if (declared === false) return undefined;
  return parseBodyBytes(await read(limits.maxBytes), headers, declared, limits);
}
