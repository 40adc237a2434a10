// Reading a JSON request body from a node stream for hosts that did not parse it (Express without
// express.json()): a size limit, strict UTF-8, and the SEAMS §B wire codes for each failure.
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
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestError(
      400,
      'MALFORMED_BODY',
      `The request body is not valid JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
