// Cookie sessions, as an alternative to bearer tokens: a signed (HMAC-SHA256), HttpOnly, Secure,
// SameSite cookie holding the session id, user and expiry. `login` always mints a new session id
// (rotation against session fixation); `isRevoked` ends sessions early.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type CookieAttributes, serializeCookie } from './cookies.js';
import { invalidOption } from './errors.js';
import type { Principal } from './principal.js';

/** Options of `createSessions`. */
export interface SessionsOptions {
  /** Signing secrets, current first (older ones still verify: rotate by prepending). Each ≥ 32 bytes. */
  secrets: readonly (string | Uint8Array)[];
  /** Cookie name. Default `__Host-session` (the `__Host-` prefix pins Secure, Path=/ and no Domain). */
  name?: string;
  /** Lifetime, seconds. Default 86400. */
  ttl?: number;
  /** Cookie attributes; Secure, HttpOnly and SameSite=Lax by default. */
  cookie?: Omit<CookieAttributes, 'maxAge'>;
  /** Called on every verification; true ends the session (logout everywhere, a banned user). */
  isRevoked?: (session: SessionData) => boolean | Promise<boolean>;
  /** The clock, ms since epoch (tests). */
  now?: () => number;
}

/** What a session cookie carries (signed, not encrypted: put no secrets in `roles`). */
export interface SessionData {
  /** The session id, new at every login. */
  readonly sid: string;
  readonly userId: string;
  readonly roles: readonly string[];
  /** Expiry, seconds since epoch. */
  readonly exp: number;
}

/** Signed cookie sessions. */
export interface Sessions {
  /** The cookie name, for `authenticate({ cookie: sessions })`. */
  readonly name: string;
  /** A fresh session: send `setCookie` as a `Set-Cookie` header. */
  login(user: { id: string; roles?: readonly string[] }): { setCookie: string; session: SessionData };
  /** The principal of a cookie value, or undefined (bad signature, expired, revoked). */
  verify(value: string): Promise<Principal | undefined>;
  /** A `Set-Cookie` that deletes the cookie. */
  logout(): string;
}

function keyOf(secret: string | Uint8Array): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.byteLength < 32) invalidOption('Each session secret must be at least 32 bytes.');
  return bytes;
}

/**
 * Makes signed cookie sessions.
 *
 * @example
 * const sessions = createSessions({ secrets: [process.env.SESSION_SECRET] });
 * res.setHeader('set-cookie', sessions.login({ id: user.id, roles: user.roles }).setCookie);
 * app.use(authenticate({ cookie: sessions }));
 */
export function createSessions(options: SessionsOptions): Sessions {
  if (!Array.isArray(options.secrets) || options.secrets.length === 0)
    invalidOption('secrets must list at least one secret of ≥ 32 bytes.');
  const keys = options.secrets.map(keyOf);
  const name = options.name ?? '__Host-session';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    invalidOption('name must be a cookie-name token (RFC 6265).');
  const ttl = options.ttl ?? 86_400;
  const now = options.now ?? Date.now;
  const attributes: CookieAttributes = {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    ...options.cookie,
  };
  if (
    name.startsWith('__Host-') &&
    (attributes.secure === false || attributes.domain !== undefined || attributes.path !== '/')
  ) {
    invalidOption(
      'A __Host- cookie must be Secure, Path=/ and have no Domain; change the name or the cookie options.',
    );
  }
  const sign = (payload: string, key: Buffer) => createHmac('sha256', key).update(payload).digest();

  function read(value: string): SessionData | undefined {
    const dot = value.lastIndexOf('.');
    if (dot <= 0 || value.length > 4096) return undefined;
    const payload = value.slice(0, dot);
    const signature = Buffer.from(value.slice(dot + 1), 'base64url');
    if (signature.byteLength !== 32) return undefined;
    // Every key is tried whatever the first result, so timing says nothing about which key matched.
    let valid = false;
    for (const key of keys) valid = timingSafeEqual(sign(payload, key), signature) || valid;
    if (!valid) return undefined;
    try {
      const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionData;
      return typeof data.sid === 'string' && typeof data.userId === 'string' && typeof data.exp === 'number'
        ? data
        : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    name,
    login(user) {
      if (typeof user?.id !== 'string' || user.id === '') invalidOption('login needs the user id.');
      const session: SessionData = {
        sid: randomBytes(16).toString('base64url'),
        userId: user.id,
        roles: [...(user.roles ?? [])],
        exp: Math.floor(now() / 1000) + ttl,
      };
      const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
      const value = `${payload}.${sign(payload, keys[0] as Buffer).toString('base64url')}`;
      return { setCookie: serializeCookie(name, value, { ...attributes, maxAge: ttl }), session };
    },
    async verify(value) {
      const session = read(value);
      if (session === undefined || session.exp * 1000 <= now()) return undefined;
      if (options.isRevoked && (await options.isRevoked(session))) return undefined;
      return {
        id: session.userId,
        via: 'cookie',
        roles: Array.isArray(session.roles) ? session.roles : [],
        permissions: [],
        attributes: { sid: session.sid },
      };
    },
    logout: () => serializeCookie(name, '', { ...attributes, maxAge: 0 }),
  };
}
