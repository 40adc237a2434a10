// Server-Sent Events on a node:http response (Express and Fastify use it): thin over event-stream.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ForwardErrorsOption } from '../errors.js';
import {
  type EventStream,
  type EventStreamOptions,
  eventStreamHeaders,
  prepareFollow,
  resolveStreamOptions,
  startEventStream,
} from '../event-stream.js';
import { describeHttpError } from '../http-status.js';

/**
 * Opens an event stream on a node response; resolves undefined when it answered a problem instead
 * (a malformed Last-Event-ID: 400), or rejects with the error when `forwardErrors` is set. `take` runs
 * once the response is ours to write (Fastify hijacks its reply there) and gives headers to keep.
 */
export async function openEventStream(
  request: IncomingMessage,
  response: ServerResponse,
  options: EventStreamOptions & ForwardErrorsOption = {},
  take: () => Record<string, string | number | string[] | undefined> = () => ({}),
): Promise<EventStream | undefined> {
  const settings = resolveStreamOptions(options);
  const header = request.headers['last-event-id'];
  const lastEventId = typeof header === 'string' ? header : undefined;
  let follow: Awaited<ReturnType<typeof prepareFollow>>;
  try {
    follow = await prepareFollow(settings, lastEventId);
  } catch (error) {
    if (options.forwardErrors === true) throw error;
    take();
    const { status, body, headers } = describeHttpError(error);
    const text = JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      'content-type': 'application/problem+json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
    return undefined;
  }
  response.writeHead(200, { ...take(), ...eventStreamHeaders, connection: 'keep-alive' });
  const flushable = response as ServerResponse & { flush?: () => void };
  const stream = startEventStream(
    {
      write(text) {
        response.write(text);
        // compression middleware buffers until flush(); one event is one flush.
        flushable.flush?.();
      },
      end: () => response.end(),
    },
    settings,
    lastEventId,
    follow,
  );
  response.once('close', () => stream.abort());
  if (settings.onOpen) await Promise.resolve(settings.onOpen(stream)).catch(() => stream.close());
  return stream;
}
