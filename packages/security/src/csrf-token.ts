// The signed double-submit token (OWASP's fallback for clients without Fetch Metadata): random bytes
// and an HMAC over them and the session id, so a token from another session (or forged) fails.
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalidOption } from './errors.js';

/** Makes and checks tokens for one secret. */
export interface CsrfTokens {
  /** A new token bound to `session`. */
  issue(session: string): string;
  /** True when `token` was issued by this secret for `session`. */
  verify(token: string | undefined, session: string): boolean;
}

/** Makes the token functions; the secret must have at least 32 bytes. */
export function createCsrfTokens(secret: string | Uint8Array): CsrfTokens {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.byteLength < 32) {
    invalidOption(
      'The CSRF secret must have at least 32 bytes; generate one with crypto.randomBytes(32).toString("base64url").',
    );
  }
  const mac = (session: string, nonce: string) =>
    createHmac('sha256', key).update(`${session.length}!${session}!${nonce}`).digest('base64url');
  return {
    issue(session) {
      const nonce = randomBytes(18).toString('base64url');
      return `${nonce}.${mac(session, nonce)}`;
    },
    verify(token, session) {
      if (typeof token !== 'string' || token.length > 200) return false;
      const dot = token.indexOf('.');
      if (dot <= 0) return false;
      const expected = Buffer.from(mac(session, token.slice(0, dot)));
      const given = Buffer.from(token.slice(dot + 1));
      return given.byteLength === expected.byteLength && timingSafeEqual(given, expected);
    },
  };
}

/** True when two strings are equal, compared in constant time. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}
