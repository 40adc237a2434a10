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

/** Whether the request carries a body at all (RFC 9112 §6.3: a length above 0, or chunked). */
export function hasBody(headers: BodyHeaders): boolean {
  if (headers.transferEncoding !== undefined) return true;
  return headers.contentLength !== undefined && headers.contentLength !== '0';
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
  try {
    if (!hasBody(headers)) return Promise.resolve(undefined);
    assertJsonContentType(headers.contentType);
    assertDeclaredLength(headers.contentLength, limits.maxBytes);
  } catch (error) {
    return Promise.reject(error);
  }
  return read(limits.maxBytes).then((bytes) =>
    bytes.byteLength === 0 ? undefined : parseJsonBytes(bytes, limits),
  );
}
