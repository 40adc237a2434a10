// Request ids: accept a well-formed incoming X-Request-Id, else generate one.
import { randomOffset, randomPool } from './random-pool.js';

/** The longest incoming request id accepted. */
export const MAX_REQUEST_ID_LENGTH = 128;

// Bounded length and a charset with nothing that could forge a log line or a header.
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether `value` may be used as a request id: 1–128 characters of `A-Z a-z 0-9 . _ : -`. */
export function isValidRequestId(value: string): boolean {
  return requestIdPattern.test(value);
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
// The 36 characters of the last id, dashes in place; each id writes its 32 hex digits over the rest.
const uuidChars = Buffer.from('00000000-0000-4000-8000-000000000000', 'latin1');
const DIGIT_POSITIONS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * A random UUID v4 (RFC 9562 §5.4), as `crypto.randomUUID()` makes it, written into one string.
 * Benchmark "request logging" (bench/index.ts): randomUUID() joins 20 strings per id (about 600 bytes of
 * garbage a request); this reads 16 bytes of the shared random pool and allocates the id alone.
 */
export function randomRequestId(): string {
  const offset = randomOffset(16);
  for (let index = 0; index < 16; index++) {
    let byte = randomPool[offset + index] as number;
    if (index === 6)
      byte = (byte & 0x0f) | 0x40; // version 4
    else if (index === 8) byte = (byte & 0x3f) | 0x80; // variant 10xx
    const position = DIGIT_POSITIONS[index] as number;
    uuidChars[position] = HEX_DIGITS[byte >> 4] as number;
    uuidChars[position + 1] = HEX_DIGITS[byte & 15] as number;
  }
  return uuidChars.toString('latin1', 0, 36);
}

/**
 * The incoming id when it is valid, else a new one from `generate` (default {@link randomRequestId}, a UUID v4).
 * @example
 * const id = resolveRequestId(request.headers.get('x-request-id'));
 */
export function resolveRequestId(
  incoming: string | null | undefined,
  generate: () => string = randomRequestId,
): string {
  return incoming !== null && incoming !== undefined && requestIdPattern.test(incoming)
    ? incoming
    : generate();
}
