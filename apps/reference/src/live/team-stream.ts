// The SSE side of a team channel: a text/event-stream Response built at once (the route returns it
// as is), whose body follows the team from the request's Last-Event-ID out of the replay buffer.
import {
  type EventHub,
  eventStreamResponse,
  InvalidLastEventIdError,
  type ReplayBuffer,
} from '@plinth/realtime';
import { teamChannel } from './team-feed.js';

// The id shapes of the two replay buffers: a counter (memory) and a Redis stream id.
const idShapes: Record<string, { pattern: RegExp; expected: string }> = {
  memory: { pattern: /^\d{1,15}$/, expected: 'a decimal number' },
  redis: { pattern: /^\d{1,20}-\d{1,20}$/, expected: 'a Redis stream id like 1700000000000-0' },
};

const streamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** The problem+json answer to a Last-Event-ID no stream of this app issued. */
function badLastEventId(error: InvalidLastEventIdError): Response {
  const body = JSON.stringify({
    type: 'about:blank',
    title: 'Bad Request',
    status: 400,
    code: error.code,
    detail: error.message,
    errors: [{ pointer: '/headers/last-event-id', message: error.message, code: error.code }],
  });
  return new Response(body, { status: 400, headers: { 'content-type': 'application/problem+json' } });
}

/** Team event streams, each ended by `close()` (so a shutdown does not wait for them). */
export class TeamStreams {
  readonly #hub: EventHub;
  readonly #shape: { pattern: RegExp; expected: string } | undefined;
  readonly #open = new Set<AbortController>();

  constructor(hub: EventHub, replay: ReplayBuffer) {
    this.#hub = hub;
    this.#shape = idShapes[replay.name];
  }

  /** A stream of the team's events from `Last-Event-ID` (400 problem+json when it is malformed). */
  respond(request: Request, teamId: string): Response {
    const lastEventId = request.headers.get('last-event-id') ?? '';
    // Checked here, before the 200 goes out: the replay buffer would only say so once the stream is open.
    if (lastEventId !== '' && this.#shape && !this.#shape.pattern.test(lastEventId)) {
      return badLastEventId(new InvalidLastEventIdError(lastEventId, this.#shape.expected));
    }
    const controller = new AbortController();
    this.#open.add(controller);
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const pipe = async () => {
      const inner = await eventStreamResponse(request, {
        hub: this.#hub,
        channel: teamChannel(teamId),
      }).catch(async (error: unknown) => {
        // The replay buffer refused the id after all (eventStreamResponse throws its problem): say so
        // in the stream, then end it.
        const { status, code, message } = error as { status?: number; code?: string; message?: string };
        const problem = JSON.stringify({ status: status ?? 500, code, detail: message });
        const writer = writable.getWriter();
        await writer.write(new TextEncoder().encode(`event: problem\ndata: ${problem}\n\n`));
        writer.releaseLock();
        return undefined;
      });
      if (!inner?.body) return;
      // preventAbort: on close() the client gets a clean end of stream, and reconnects with its last id.
      await inner.body.pipeTo(writable, { signal: controller.signal, preventAbort: true });
    };
    void pipe()
      .catch(() => undefined)
      .finally(() => {
        this.#open.delete(controller);
        void writable.close().catch(() => undefined);
      });
    return new Response(readable, { status: 200, headers: streamHeaders });
  }

  /** How many streams are open. */
  get size(): number {
    return this.#open.size;
  }

  /** Ends every open stream. */
  close(): void {
    for (const controller of this.#open) controller.abort();
    this.#open.clear();
  }
}
