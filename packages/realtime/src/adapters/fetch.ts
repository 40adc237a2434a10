// Server-Sent Events as a fetch Response (Hono, @plinth/http, Bun, Deno): thin over event-stream.ts.

import {
  type EventStream,
  type EventStreamOptions,
  eventStreamHeaders,
  prepareFollow,
  resolveStreamOptions,
  startEventStream,
} from '../event-stream.js';
import { describeHttpError } from '../http-status.js';

/** A problem+json Response for a refused stream (a malformed Last-Event-ID answers 400). */
export function problemResponse(error: unknown): Response {
  const { status, body, headers } = describeHttpError(error);
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: {
      ...headers,
      'content-type': 'application/problem+json',
      'content-length': String(Buffer.byteLength(text)),
    },
  });
}

/**
 * Answers `request` with an event stream; with `hub` and `channel` it resumes from Last-Event-ID.
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
  let follow: Awaited<ReturnType<typeof prepareFollow>>;
  try {
    follow = await prepareFollow(settings, lastEventId);
  } catch (error) {
    return problemResponse(error);
  }
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
