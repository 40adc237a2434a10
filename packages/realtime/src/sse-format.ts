// The text/event-stream wire format (WHATWG HTML §9.2.6), written so a conforming EventSource parses
// back exactly what was sent: every line break in data starts a new `data:` line.
import { RealtimeError } from './errors.js';

/** One Server-Sent Event. */
export interface ServerSentEvent {
  /** The event type (`event:` field); EventSource dispatches it to listeners of that name. Default "message". */
  event?: string;
  /** The payload: a string is sent as is, anything else as JSON. */
  data: unknown;
  /** The event id; the browser sends it back as Last-Event-ID when it reconnects. */
  id?: string;
  /** The reconnection delay the browser should use, in milliseconds. */
  retry?: number;
}

const lineBreak = /\r\n|\r|\n/;

/** Throws ERR_REALTIME_INVALID_EVENT unless `value` can be one field line. */
function assertField(name: string, value: string): void {
  // An id with NULL is ignored by the parser (§9.2.6), and CR/LF would end the field early.
  if (/[\r\n]/.test(value) || (name === 'id' && value.includes('\0'))) {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_EVENT',
      `An SSE ${name} must not contain ${name === 'id' ? 'NULL, ' : ''}CR or LF, got ${JSON.stringify(value)}.`,
    );
  }
}

/** The bytes of one event, ending with the blank line that dispatches it. */
export function formatEvent(event: ServerSentEvent): string {
  let text = '';
  if (event.id !== undefined) {
    assertField('id', event.id);
    text += `id: ${event.id}\n`;
  }
  if (event.event !== undefined) {
    assertField('event', event.event);
    text += `event: ${event.event}\n`;
  }
  if (event.retry !== undefined) text += `retry: ${formatRetry(event.retry)}\n`;
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  for (const line of (data ?? '').split(lineBreak)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A `retry:` value: the parser ignores anything but ASCII digits (§9.2.6). */
function formatRetry(retry: number): string {
  if (!Number.isFinite(retry) || retry < 0) {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_EVENT',
      `retry must be a number of milliseconds ≥ 0, got ${retry}.`,
    );
  }
  return String(Math.round(retry));
}

/** A comment line (ignored by EventSource): heartbeats that keep proxies from timing the stream out. */
export function formatComment(text = ''): string {
  return `${text
    .split(lineBreak)
    .map((line) => `:${line === '' ? '' : ` ${line}`}`)
    .join('\n')}\n\n`;
}

/** A jittered retry value in [base, base × (1 + jitter)], so clients do not all reconnect at once. */
export function jitteredRetry(base: number, jitter: number, random: () => number = Math.random): number {
  return Math.round(base * (1 + jitter * random()));
}
