// Fastify 5: an event stream on the raw response; the reply is hijacked so Fastify sends nothing more,
// and headers set on the reply before (CORS ...) are kept.
import type { IncomingMessage, ServerResponse } from 'node:http';
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
 * Opens an event stream in a Fastify handler (resolves undefined when it answered 400 instead).
 *
 * @example
 * fastify.get('/events', (request, reply) => eventStream(request, reply, { hub, channel: 'news' }));
 */
export async function eventStream(
  request: FastifyRequestLike,
  reply: FastifyReplyLike,
  options: EventStreamOptions = {},
): Promise<EventStream | undefined> {
  reply.hijack();
  return openEventStream(request.raw, reply.raw, options, reply.getHeaders());
}
