// Writes a WHATWG Response to a node ServerResponse: how the Express and Fastify adapters answer
// with what the framework-free core returns.
import type { ServerResponse } from 'node:http';

/** Copies status, headers and body of `response` onto `res` and ends it. */
export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (body !== undefined && !res.hasHeader('content-length'))
    res.setHeader('content-length', body.byteLength);
  res.end(body);
}

/** The request's headers as name/value pairs (repeated headers joined), for the error page. */
export function headerPairs(headers: Record<string, string | string[] | undefined>): Array<[string, string]> {
  return Object.entries(headers)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]);
}
