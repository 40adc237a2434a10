// Percent-encoding of URL paths (RFC 3986 §2.1, §6.2.2): one normal form for request paths and route
// patterns, so `/caf%c3%a9` and `/café` meet, and malformed escapes become a 400 instead of a crash.
import { HttpError } from './errors.js';

const HEX = '0123456789ABCDEF';

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

// RFC 3986 §2.3: unreserved characters are equivalent encoded or not, so we decode them.
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 65 && byte <= 90) ||
    (byte >= 97 && byte <= 122) ||
    (byte >= 48 && byte <= 57) ||
    byte === 45 ||
    byte === 46 ||
    byte === 95 ||
    byte === 126
  );
}

function malformed(path: string): HttpError {
  return new HttpError(400, 'The URL contains an invalid percent-encoding.', {
    code: 'MALFORMED_URL',
    cause: path,
  });
}

/**
 * Brings a raw path that contains `%` to its normal form: escapes of unreserved characters decoded,
 * the others upper-cased (`%2f` → `%2F`, so an encoded slash stays inside one segment).
 * Throws a 400 {@link HttpError} on a `%` not followed by two hex digits.
 */
export function normalizePercent(path: string): string {
  let out = '';
  let last = 0;
  let index = path.indexOf('%');
  while (index !== -1) {
    const high = hexValue(path.charCodeAt(index + 1));
    const low = hexValue(path.charCodeAt(index + 2));
    if (high < 0 || low < 0) throw malformed(path);
    const byte = high * 16 + low;
    out += path.slice(last, index);
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[high]}${HEX[low]}`;
    last = index + 3;
    index = path.indexOf('%', last);
  }
  return out + path.slice(last);
}

/** Decodes one parameter value; a malformed escape or invalid UTF-8 is a 400 {@link HttpError}. */
export function decodeParam(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw malformed(value);
  }
}

/** Encodes the static text of a route pattern to the normal form request paths are matched in. */
export function encodePatternText(text: string): string {
  let out = '';
  let last = 0;
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) !== 37) continue;
    // An escape the author wrote (`%20`) is kept; a lone `%` is a literal percent sign.
    const valid = hexValue(text.charCodeAt(index + 1)) >= 0 && hexValue(text.charCodeAt(index + 2)) >= 0;
    out += encodeURI(text.slice(last, index)) + (valid ? text.slice(index, index + 3) : '%25');
    last = index + (valid ? 3 : 1);
    index = last - 1;
  }
  return normalizePercent(out + encodeURI(text.slice(last)));
}
