// Server-Sent Events as a fetch Response (Hono, @plinth/http, Bun, Deno): thin over event-stream.ts.

import {
  type EventStream,
  type EventStreamOptions,
  eventStreamHeaders,
  prepareFollow,
  resolveStreamOptions,
  startEventStream,
} from '../event-stream.js';

/**
 * Answers `request` with an event stream; with `hub` and `channel` it resumes from Last-Event-ID. A
 * malformed Last-Event-ID throws an `InvalidLastEventIdError` (400, `INVALID_LAST_EVENT_ID`, the
 * http-errors shape) for the app's error handler to answer as problem+json.
 *
 * @example
 * app.get('/events', (ctx) => eventStreamResponse(ctx.request, { hub, channel: 'news' }));
 */
export async function eventStreamResponse(
  request: Request,
  options: EventStreamOptions = {},
): Promise<Response> {
  const settings = resolveStreamOptions(options);
  const lastEventId = request.headers.get('last-event-id') ?? undefined;
  const follow = await prepareFollow(settings, lastEventId);
  const encoder = new TextEncoder();
  let stream: (EventStream & { abort(): void }) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stream = startEventStream(
        {
          write: (text) => controller.enqueue(encoder.encode(text)),
          end: () => controller.close(),
        },
        settings,
        lastEventId,
        follow,
      );
      request.signal.addEventListener('abort', () => stream?.abort(), { once: true });
      if (settings.onOpen) void Promise.resolve(settings.onOpen(stream)).catch(() => stream?.close());
    },
    cancel() {
      stream?.abort();
    },
  });
  return new Response(body, { status: 200, headers: eventStreamHeaders });
}
