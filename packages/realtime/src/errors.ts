// The errors @plinth/realtime throws: one base class whose `code` narrows in a `switch`.

/**
 * Every error code this package can throw; each is listed in the README. `ERR_REALTIME_*` codes are
 * programming or infrastructure errors (a 500 over HTTP, never sent); `INVALID_LAST_EVENT_ID` is the
 * wire code of a client failure (400).
 */
export type RealtimeErrorCode =
  | 'ERR_REALTIME_INVALID_OPTION'
  | 'ERR_REALTIME_CLOSED'
  | 'ERR_REALTIME_INVALID_CHANNEL'
  | 'ERR_REALTIME_INVALID_EVENT'
  | 'INVALID_LAST_EVENT_ID'
  | 'ERR_REALTIME_PATH_TAKEN'
  | 'ERR_REALTIME_BROKER';

/** The base class of every error thrown by @plinth/realtime; branch on `code`. */
export class RealtimeError extends Error {
  /** A stable, unique code: `ERR_REALTIME_<WHAT>`, or the wire code of a client failure. */
  readonly code: RealtimeErrorCode;

  constructor(code: RealtimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RealtimeError';
    this.code = code;
  }
}

/**
 * A malformed `Last-Event-ID` header: an HTTP error (the http-errors convention), answered 400 with the
 * wire code `INVALID_LAST_EVENT_ID`.
 */
export class InvalidLastEventIdError extends RealtimeError {
  readonly status = 400;
  readonly expose = true;
  readonly title = 'Bad Request';

  constructor(value: string, expected: string) {
    super(
      'INVALID_LAST_EVENT_ID',
      `Last-Event-ID ${JSON.stringify(value.slice(0, 64))} is not an id this stream issued (expected ${expected}); reconnect without the header to start from now.`,
    );
    this.name = 'InvalidLastEventIdError';
  }
}

/** The option of the Express and Fastify `eventStream` that hands a refusal to the host. */
export interface ForwardErrorsOption {
  /**
   * Hand a refused stream (an `InvalidLastEventIdError`, or any error the hub throws before the stream
   * opens) to the host's error handling instead of answering problem+json here: the returned promise
   * rejects, so Express 5 calls `next(error)` for a handler that returns it and Fastify's error handler
   * answers (the reply is hijacked only once the stream opens). `false` by default, so the adapter works
   * without an error handler. The fetch `eventStreamResponse` always throws.
   */
  forwardErrors?: boolean;
}

/** Throws ERR_REALTIME_INVALID_OPTION unless `value` is a finite number ≥ `min`. */
export function assertNumber(option: string, value: unknown, min = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_OPTION',
      `${option} must be a finite number ≥ ${min}, got ${String(value)}.`,
    );
  }
}

/** Throws ERR_REALTIME_INVALID_CHANNEL unless `channel` is a non-empty string. */
export function assertChannel(channel: unknown): asserts channel is string {
  if (typeof channel !== 'string' || channel.length === 0 || channel.length > 1024) {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_CHANNEL',
      `A channel name must be a non-empty string of at most 1024 characters, got ${JSON.stringify(channel)}.`,
    );
  }
}
