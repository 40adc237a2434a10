// Express 5: an event stream on `res`; a malformed Last-Event-ID answers 400 problem+json, or with
// forwardErrors rejects, so Express 5 hands it to the app's error handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ForwardErrorsOption } from '../errors.js';
import type { EventStream, EventStreamOptions } from '../event-stream.js';
import { openEventStream } from './node.js';

/**
 * Opens an event stream in an Express handler (resolves undefined when it answered 400 instead; with
 * `forwardErrors` it rejects, and Express 5 passes the error of a returned promise to `next`).
 *
 * @example
 * app.get('/events', (req, res) => eventStream(req, res, { hub, channel: 'news' }));
 */
export function eventStream(
  req: IncomingMessage,
  res: ServerResponse,
  options: EventStreamOptions & ForwardErrorsOption = {},
): Promise<EventStream | undefined> {
  return openEventStream(req, res, options);
}
