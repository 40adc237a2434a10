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
 * Reads and parses a JSON body: `undefined` when there is none, else 415 / 413 / 400 as it deserves.
 * `read(maxBytes)` returns the bytes, rejecting past the limit.
 */
export function readJsonBody(
  headers: BodyHeaders,
  read: (maxBytes: number) => Promise<Uint8Array>,
  limits: JsonLimits,
): Promise<unknown> {
  const declared = declaresBody(headers);
  if (declared === false) return Promise.resolve(undefined);
  try {
    // A declared body is refused before a byte is read when its type or length is wrong.
    if (declared) {
      assertJsonContentType(headers.contentType);
      assertDeclaredLength(headers.contentLength, limits.maxBytes);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  return read(limits.maxBytes).then((bytes) => {
    if (bytes.byteLength === 0) return undefined;
    if (!declared) assertJsonContentType(headers.contentType);
    return parseJsonBytes(bytes, limits);
  });
}
