// @plinth/realtime/fastify: Server-Sent Events in Fastify handlers.

export { eventStream, type FastifyReplyLike, type FastifyRequestLike } from './adapters/fastify.js';
export type { ForwardErrorsOption } from './errors.js';
export type { EventStream, EventStreamOptions } from './event-stream.js';
