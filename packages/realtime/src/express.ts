// @plinth/realtime/express: Server-Sent Events in Express handlers.

export { eventStream } from './adapters/express.js';
export type { ForwardErrorsOption } from './errors.js';
export type { EventStream, EventStreamOptions } from './event-stream.js';
