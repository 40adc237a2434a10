// Express 5: an event stream on `res`; a malformed Last-Event-ID answers 400 problem+json.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventStream, EventStreamOptions } from '../event-stream.js';
import { openEventStream } from './node.js';

/**
 * Opens an event stream in an Express handler (resolves undefined when it answered 400 instead).
 *
 * @example
 * app.get('/events', (req, res) => eventStream(req, res, { hub, channel: 'news' }));
 */
export function eventStream(
  req: IncomingMessage,
  res: ServerResponse,
  options: EventStreamOptions = {},
): Promise<EventStream | undefined> {
  return openEventStream(req, res, options);
}
