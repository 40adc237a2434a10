// Opaque, tamper-evident page cursors: the last row's sort value and key, with the sort they belong
// to, as base64url JSON followed by an HMAC-SHA-256 tag, so a client can pass them back but not
// forge or edit them.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DbError, InvalidCursorError } from './errors.js';

/** What a cursor carries: the position after which the next page starts. */
export interface CursorPosition {
  /** Which sort it belongs to (`createdAt desc`): a cursor is rejected under another sort. */
  sort: string;
  values: readonly unknown[];
}

type Encoded = string | number | boolean | null | { d: string } | { b: string };

// JSON has no Date or bigint: tag them, so the value compared on the next page has its type.
function encodeValue(value: unknown): Encoded {
  if (value instanceof Date) return { d: value.toISOString() };
  if (typeof value === 'bigint') return { b: value.toString() };
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Encoded;
  throw new DbError(
    'ERR_DB_INVALID_OPTION',
    `A cursor cannot hold a ${typeof value} sort value; sort on a column of text, number, boolean, bigint or timestamp type.`,
  );
}

function decodeValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    if (typeof (value as { d?: unknown }).d === 'string') return new Date((value as { d: string }).d);
    if (typeof (value as { b?: unknown }).b === 'string') return BigInt((value as { b: string }).b);
    throw new InvalidCursorError('unknown value');
  }
  return value;
}

/** Encodes and verifies cursors with one secret. */
export interface CursorCodec {
  encode(position: CursorPosition): string;
  /** The position in `cursor`; throws InvalidCursorError (400) when it was edited or is from another sort. */
  decode(cursor: string, sort: string): CursorPosition;
}

/** A cursor codec signing with `secret` (at least 32 bytes; keep it in your secrets, rotate by redeploying). */
export function createCursorCodec(secret: string | Uint8Array): CursorCodec {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < 32) {
    throw new DbError(
      'ERR_DB_INVALID_OPTION',
      `The cursor secret must be at least 32 bytes (got ${key.length}); generate one with \`openssl rand -base64 32\`.`,
    );
  }
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, 16);
  return {
    encode(position) {
      const payload = Buffer.from(JSON.stringify([position.sort, position.values.map(encodeValue)])).toString(
        'base64url',
      );
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    decode(cursor, sort) {
      if (typeof cursor !== 'string' || cursor.length > 4096) throw new InvalidCursorError('malformed');
      const [payload, tag, extra] = cursor.split('.');
      if (!payload || !tag || extra !== undefined) throw new InvalidCursorError('malformed');
      const given = Buffer.from(tag, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new InvalidCursorError(
          'its signature does not match: it was edited or made with another secret',
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw new InvalidCursorError('malformed');
      }
      if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !Array.isArray(parsed[1])) {
        throw new InvalidCursorError('malformed');
      }
      if (parsed[0] !== sort) {
        throw new InvalidCursorError(`it belongs to the sort "${parsed[0]}", not "${sort}"`);
      }
      return { sort, values: (parsed[1] as unknown[]).map(decodeValue) };
    },
  };
}
