// Reading a JSON request body from a node stream for hosts that did not parse it (Express without
// express.json()): a size limit, strict UTF-8, a nesting limit, no prototype keys, and the SEAMS §B
// wire codes for each failure.
import { RequestError } from './errors.js';

/** Internal: what the reader needs from the request. */
export interface JsonBodySource extends AsyncIterable<Uint8Array | string> {
  readonly headers: Record<string, string | string[] | undefined>;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function isJsonType(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function hasBody(headers: JsonBodySource['headers']): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function tooLarge(limit: number): RequestError {
  return new RequestError(
    413,
    'CONTENT_TOO_LARGE',
    `The request body is larger than the limit of ${limit} bytes.`,
  );
}

/** Internal: the parsed JSON body, or `undefined` when the request has none. */
export async function readJsonBody(source: JsonBodySource, limit: number): Promise<unknown> {
  const contentType = source.headers['content-type'];
  if (!hasBody(source.headers) && contentType === undefined) return undefined;
  if (typeof contentType !== 'string' || !isJsonType(contentType)) {
    throw new RequestError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the body as application/json (got ${contentType ?? 'no content-type'}).`,
    );
  }
  const declared = Number(source.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(bytes);
    }
  } catch (error) {
    if (error instanceof RequestError) throw error;
    throw new RequestError(400, 'MALFORMED_BODY', 'The request body was cut off before it ended.', {
      cause: error,
    });
  }
  let text: string;
  try {
    text = decoder.decode(Buffer.concat(chunks, size));
  } catch (error) {
    throw new RequestError(400, 'MALFORMED_BODY', 'The request body is not valid UTF-8.', { cause: error });
  }
  if (text.trim() === '')
    throw new RequestError(400, 'MALFORMED_BODY', 'The request body is empty; send a JSON value.');
  if (exceedsDepth(text, MAX_DEPTH)) {
    throw new RequestError(400, 'MALFORMED_BODY', `The JSON body is nested deeper than ${MAX_DEPTH} levels.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RequestError(
      400,
      'MALFORMED_BODY',
      `The request body is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  // JSON.parse makes "__proto__" an own key that Object.assign or a spread would turn into a prototype
  // (Fastify's secure-json-parse and @plinth/http refuse it too); looked for only when the words appear.
  if (SUSPECT.test(text)) {
    const key = forbiddenKey(value, 0);
    if (key !== undefined) {
      throw new RequestError(400, 'MALFORMED_BODY', `The JSON body contains a forbidden "${key}" key.`);
    }
  }
  return value;
}

const MAX_DEPTH = 64;
// The words themselves, or a \u escape that could spell them.
const SUSPECT = /__proto__|constructor|prototype|\\u/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function forbiddenKey(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN.has(key)) return key;
    const found = forbiddenKey(item, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

// Nesting counted outside strings; a body shorter than twice the limit cannot exceed it.
function exceedsDepth(text: string, limit: number): boolean {
  if (text.length <= 2 * limit) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 92 /* \ */) index++;
      else if (char === 34 /* " */) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 /* { */ || char === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (char === 125 /* } */ || char === 93 /* ] */) depth--;
  }
  return false;
}
