// Server-Sent Events on a node:http response (Express and Fastify use it): thin over event-stream.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
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
 * (a malformed Last-Event-ID: 400).
 */
export async function openEventStream(
  request: IncomingMessage,
  response: ServerResponse,
  options: EventStreamOptions = {},
  extraHeaders: Record<string, string | number | string[] | undefined> = {},
): Promise<EventStream | undefined> {
  const settings = resolveStreamOptions(options);
  const header = request.headers['last-event-id'];
  const lastEventId = typeof header === 'string' ? header : undefined;
  let follow: Awaited<ReturnType<typeof prepareFollow>>;
  try {
    follow = await prepareFollow(settings, lastEventId);
  } catch (error) {
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
  response.writeHead(200, { ...extraHeaders, ...eventStreamHeaders, connection: 'keep-alive' });
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
