// Fastify 5: an event stream on the raw response; the reply is hijacked so Fastify sends nothing more,
// and headers set on the reply before (CORS ...) are kept.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ForwardErrorsOption } from '../errors.js';
import type { EventStream, EventStreamOptions } from '../event-stream.js';
import { openEventStream } from './node.js';

/** The part of a Fastify request we use. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
}

/** The part of a Fastify reply we use. */
export interface FastifyReplyLike {
  raw: ServerResponse;
  hijack(): unknown;
  getHeaders(): Record<string, string | number | string[] | undefined>;
}

/**
 * Opens an event stream in a Fastify handler (resolves undefined when it answered 400 instead; with
 * `forwardErrors` it rejects before the reply is hijacked, so Fastify's error handler answers).
 *
 * @example
 * fastify.get('/events', (request, reply) => eventStream(request, reply, { hub, channel: 'news' }));
 */
export async function eventStream(
  request: FastifyRequestLike,
  reply: FastifyReplyLike,
  options: EventStreamOptions & ForwardErrorsOption = {},
): Promise<EventStream | undefined> {
  return openEventStream(request.raw, reply.raw, options, () => {
    reply.hijack();
    return reply.getHeaders();
  });
}
