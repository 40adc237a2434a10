// One Server-Sent Events response, independent of the host: the retry hint, heartbeats, events and the
// resume from Last-Event-ID out of an EventHub. The fetch and node adapters give it a sink to write to.
import { assertNumber, RealtimeError } from './errors.js';
import type { ChannelFollow, EventHub } from './event-hub.js';
import { formatComment, formatEvent, jitteredRetry, type ServerSentEvent } from './sse-format.js';

/** Options of an event stream (every adapter). */
export interface EventStreamOptions {
  /** Follow this channel of `hub`, resuming from the request's Last-Event-ID. */
  hub?: EventHub;
  /** The channel to follow (with `hub`). */
  channel?: string;
  /** Reconnection delay hint in ms, jittered up by `retryJitter`. Default 3000. */
  retryMs?: number;
  /** Fraction added at random to `retryMs` (0.5: 3000–4500 ms) against reconnect storms. Default 0.5. */
  retryJitter?: number;
  /** Interval of heartbeat comments, so proxies keep the stream open. Default 15000; 0 = off. */
  heartbeatMs?: number;
  /** Event type sent when the resume is incomplete (events were trimmed). Default `reset`. */
  resetEvent?: string;
  /** Called once the stream is open, with the stream to send on. */
  onOpen?: (stream: EventStream) => void | Promise<void>;
}

/** An open Server-Sent Events stream. */
export interface EventStream {
  /** The Last-Event-ID the client sent, if any. */
  readonly lastEventId: string | undefined;
  /** Aborts when the client went away or the stream was closed. */
  readonly signal: AbortSignal;
  /** Sends one event, flushed at once; false once the stream is closed. */
  send(event: ServerSentEvent): boolean;
  /** Sends a comment line (ignored by EventSource). */
  comment(text?: string): boolean;
  /** Ends the response. */
  close(): void;
}

/** Where a stream writes: the adapters' translation of a node response or a ReadableStream. */
export interface EventSink {
  write(text: string): void;
  end(): void;
}

/** The response headers of every event stream. */
export const eventStreamHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: compression middleware (and CDNs) must not buffer or re-encode the stream.
  'cache-control': 'no-cache, no-transform',
  // nginx buffers proxied responses unless told not to.
  'x-accel-buffering': 'no',
};

/** Validates the options at creation time. */
export function resolveStreamOptions(options: EventStreamOptions) {
  const retryMs = options.retryMs ?? 3000;
  const retryJitter = options.retryJitter ?? 0.5;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  assertNumber('retryMs', retryMs);
  assertNumber('retryJitter', retryJitter);
  assertNumber('heartbeatMs', heartbeatMs);
  if ((options.hub === undefined) !== (options.channel === undefined)) {
    throw new RealtimeError('ERR_REALTIME_INVALID_OPTION', 'Pass hub and channel together (or neither).');
  }
  return { ...options, retryMs, retryJitter, heartbeatMs, resetEvent: options.resetEvent ?? 'reset' };
}

/** Reads the backlog before any byte is sent, so a malformed Last-Event-ID can still be answered 400. */
export async function prepareFollow(
  options: EventStreamOptions,
  lastEventId: string | undefined,
): Promise<ChannelFollow | undefined> {
  if (!options.hub || options.channel === undefined) return undefined;
  return options.hub.follow(options.channel, lastEventId === '' ? undefined : lastEventId);
}

/** Starts writing the stream on `sink`: retry hint, backlog, then live events and heartbeats. */
export function startEventStream(
  sink: EventSink,
  options: ReturnType<typeof resolveStreamOptions>,
  lastEventId: string | undefined,
  follow: ChannelFollow | undefined,
): EventStream & { abort(): void } {
  const controller = new AbortController();
  let open = true;
  const write = (text: string) => {
    if (!open) return false;
    sink.write(text);
    return true;
  };
  const timer =
    options.heartbeatMs > 0
      ? setInterval(() => write(formatComment()), options.heartbeatMs).unref()
      : undefined;
  const stream = {
    lastEventId,
    signal: controller.signal,
    send: (event: ServerSentEvent) => write(formatEvent(event)),
    comment: (text?: string) => write(formatComment(text)),
    close() {
      if (!open) return;
      stream.abort();
      sink.end();
    },
    abort() {
      if (!open) return;
      open = false;
      if (timer) clearInterval(timer);
      void follow?.stop();
      controller.abort();
    },
  };
  write(`retry: ${jitteredRetry(options.retryMs, options.retryJitter)}\n\n`);
  if (follow) {
    if (!follow.complete)
      stream.send({ event: options.resetEvent, data: 'events were missed; reload the state' });
    for (const event of follow.backlog) stream.send(event);
    follow.start((event) => stream.send(event));
  }
  return stream;
}
