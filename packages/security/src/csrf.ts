// CSRF protection in OWASP's current order: Fetch Metadata (Sec-Fetch-Site) first, then Origin, and
// a signed double-submit token bound to the session only for clients that send neither.
import type { RequestView } from './context.js';
import { type CsrfTokens, createCsrfTokens, sameToken } from './csrf-token.js';
import { invalidOption, SecurityHttpError } from './errors.js';

/** Options of {@link createCsrf}. */
export interface CsrfOptions {
  /** Other origins allowed to send unsafe requests (your SPA on another origin), exact `scheme://host[:port]`. */
  trustedOrigins?: readonly string[];
  /**
   * Enables the token fallback for requests with neither Sec-Fetch-Site nor Origin (old browsers).
   * Without it such requests pass, as non-browser clients cannot be forged by a page.
   */
  token?: {
    /** At least 32 bytes. */
    secret: string | Uint8Array;
    /** The session id the token is bound to (a cookie value, the user id); '' when anonymous. */
    session: (request: RequestView) => string;
    /** Cookie holding the token (default `__Host-csrf`, or `csrf` when `secure: false`). */
    cookieName?: string;
    /** Mark the cookie Secure (default true; false only for http:// development). */
    secure?: boolean;
    /** Request header carrying the token (default `x-csrf-token`). */
    headerName?: string;
    /** Form field carrying the token (default `_csrf`). */
    fieldName?: string;
  };
}

/** The verdict on one request. */
export type CsrfVerdict =
  | { readonly kind: 'allow' }
  | { readonly kind: 'reject'; readonly error: SecurityHttpError }
  /** Only the token can decide: the adapter reads the form field if the header is absent, then calls `verifyToken`. */
  | { readonly kind: 'token' };

/** The compiled CSRF policy used by the adapters. */
export interface Csrf {
  /** Decides from headers alone when it can (no body read). */
  check(request: RequestView): CsrfVerdict;
  /** The token fallback: `submitted` from the header or the form field. */
  verifyToken(request: RequestView, submitted: string | undefined): CsrfVerdict;
  /** For a page: the token to embed and, when a new cookie is needed, its Set-Cookie value. */
  token(request: RequestView): { token: string; setCookie?: string } | undefined;
  readonly headerName: string;
  readonly fieldName: string;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const allow: CsrfVerdict = { kind: 'allow' };

function reject(detail: string): CsrfVerdict {
  return { kind: 'reject', error: new SecurityHttpError(403, 'CSRF_ORIGIN_REJECTED', detail) };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals !== -1 && part.slice(0, equals).trim() === name) return part.slice(equals + 1).trim();
  }
  return undefined;
}

/** The request's own origin host, compared with the Origin header's host (as Go's CrossOriginProtection does). */
function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const scheme = origin.indexOf('://');
  return scheme !== -1 && origin.slice(scheme + 3).toLowerCase() === host.toLowerCase();
}

/**
 * Compiles a CSRF policy.
 *
 * @example
 * const csrf = createCsrf({ trustedOrigins: ['https://app.example.com'] });
 */
export function createCsrf(options: CsrfOptions = {}): Csrf {
  const trusted = new Set<string>();
  for (const origin of options.trustedOrigins ?? []) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i.test(origin)) {
      invalidOption(
        `trustedOrigins entry ${JSON.stringify(origin)} must be an origin such as "https://app.example.com" (no path).`,
      );
    }
    trusted.add(origin.toLowerCase());
  }
  const tokenOptions = options.token;
  const tokens: CsrfTokens | undefined =
    tokenOptions === undefined ? undefined : createCsrfTokens(tokenOptions.secret);
  const secure = tokenOptions?.secure ?? true;
  const cookieName = tokenOptions?.cookieName ?? (secure ? '__Host-csrf' : 'csrf');
  if (cookieName.startsWith('__Host-') && !secure)
    invalidOption('A __Host- cookie must be Secure; set secure: true or rename the cookie.');
  const headerName = (tokenOptions?.headerName ?? 'x-csrf-token').toLowerCase();
  const fieldName = tokenOptions?.fieldName ?? '_csrf';

  const verifyToken = (request: RequestView, submitted: string | undefined): CsrfVerdict => {
    if (tokens === undefined || tokenOptions === undefined) return allow;
    const cookie = cookieValue(request.header('cookie'), cookieName);
    if (sameToken(cookie, submitted) && tokens.verify(submitted, tokenOptions.session(request))) return allow;
    return {
      kind: 'reject',
      error: new SecurityHttpError(
        403,
        'CSRF_TOKEN_INVALID',
        `The CSRF token is missing or does not match this session; send the token from the ${cookieName} cookie in the ${headerName} header or the ${fieldName} field.`,
      ),
    };
  };

  return {
    headerName,
    fieldName,
    check(request) {
      if (safeMethods.has(request.method)) return allow;
      const origin = request.header('origin');
      const site = request.header('sec-fetch-site');
      if (site !== undefined) {
        if (site === 'same-origin' || site === 'none') return allow;
        if (origin !== undefined && trusted.has(origin.toLowerCase())) return allow;
        return reject(
          `A ${site} request may not ${request.method} here; only this site and trusted origins may.`,
        );
      }
      if (origin !== undefined && origin !== 'null') {
        if (trusted.has(origin.toLowerCase()) || sameHost(origin, request.header('host'))) return allow;
        return reject(
          `Origin ${origin} may not ${request.method} here; only this site and trusted origins may.`,
        );
      }
      if (origin === 'null') return reject(`An opaque origin ("null") may not ${request.method} here.`);
      if (tokens === undefined) return allow;
      const header = request.header(headerName);
      return header === undefined ? { kind: 'token' } : verifyToken(request, header);
    },
    verifyToken,
    token(request) {
      if (tokens === undefined || tokenOptions === undefined) return undefined;
      const session = tokenOptions.session(request);
      const existing = cookieValue(request.header('cookie'), cookieName);
      if (existing !== undefined && tokens.verify(existing, session)) return { token: existing };
      const token = tokens.issue(session);
      // Readable by scripts on purpose: the SPA copies it into the header (double submit).
      const setCookie = `${cookieName}=${token}; Path=/; SameSite=Lax${secure ? '; Secure' : ''}`;
      return { token, setCookie };
    },
  };
}
