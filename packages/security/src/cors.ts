// CORS (the Fetch standard's protocol): origins as a list, wildcard subdomains, patterns or a function,
// checked at start for the configurations that let any site read credentialed answers.
import type { RequestView } from './context.js';
import { assertNumber, invalidOption, SecurityError } from './errors.js';

/** One allowed origin: an exact origin, `https://*.example.com`, or an anchored RegExp. */
export type CorsOriginEntry = string | RegExp;

/** Options of {@link createCors}. */
export interface CorsOptions {
  /** `'*'` (no credentials), one origin, a list, a RegExp, or `(origin) => boolean`. */
  origin: '*' | CorsOriginEntry | readonly CorsOriginEntry[] | ((origin: string) => boolean);
  /** Send `Access-Control-Allow-Credentials: true` (never with `'*'`). */
  credentials?: boolean;
  /** Methods a preflight may ask for (default GET, HEAD, PUT, PATCH, POST, DELETE). */
  methods?: readonly string[];
  /** Request headers allowed; default: the ones the preflight asks for. */
  allowedHeaders?: readonly string[];
  /** Response headers the page may read. */
  exposedHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight (default 600; browsers cap it at 2 h / 24 h). */
  maxAge?: number;
  /** Answer Private Network Access preflights (`Access-Control-Allow-Private-Network: true`). */
  privateNetwork?: boolean;
}

/** What to do with a request: answer a preflight, or add headers to the response. */
export interface CorsDecision {
  /** True when this is a preflight to answer with 204 and `headers` (the app is not called). */
  readonly preflight: boolean;
  /** Headers to send (Vary is to be appended to any existing Vary). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** The compiled CORS policy; adapters call `decide`. */
export interface Cors {
  decide(request: Pick<RequestView, 'method' | 'header'>): CorsDecision;
}

const defaultMethods = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];
const originShape = /^[a-z][a-z0-9+.-]*:\/\/(\*\.)?[^/?#\s*]+$/;

function insecure(message: string): never {
  throw new SecurityError('ERR_SECURITY_INSECURE_CORS', message);
}

/** Example origins an overly broad pattern lets in, derived from the host the pattern seems to mean. */
function probesFor(pattern: RegExp): string[] {
  const host = pattern.source
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\\//g, '/')
    .replace(/\((?:\?:)?[^)]*\)[?*+]?|\[[^\]]*\][*+?]?|\.[*+]|\\w[*+]/g, 'x')
    .replace(/\\\./g, '.')
    .replace(/^[a-z]+\??:\/\//i, '');
  const probes = [
    'https://evil.com',
    'null',
    `https://evil-${host}`,
    `https://evil${host}`,
    `https://${host}.evil.com`,
    `https://${host}evil.com`,
    `http://evil.com/${host}`,
  ];
  host.split('').forEach((char, index) => {
    if (char === '.') probes.push(`https://${host.slice(0, index)}x${host.slice(index + 1)}`);
  });
  return probes;
}

function checkPattern(pattern: RegExp): void {
  if (!pattern.source.startsWith('^') || !pattern.source.endsWith('$')) {
    insecure(
      `CORS pattern ${pattern} is not anchored: it also matches e.g. "https://evil-example.com" (expressjs/cors #422); write /^https:\\/\\/(app|admin)\\.example\\.com$/.`,
    );
  }
  if (pattern.flags.includes('g') || pattern.flags.includes('y')) {
    invalidOption(`CORS pattern ${pattern} has the g or y flag, which makes test() stateful; drop the flag.`);
  }
  const leak = probesFor(pattern).find((probe) => pattern.test(probe));
  if (leak !== undefined) {
    insecure(
      `CORS pattern ${pattern} also matches "${leak}"; escape dots (\\.) and match whole labels so only your own origins pass.`,
    );
  }
}

/** Compiles one entry into a matcher; strings must be exact origins (`https://app.example.com`). */
function entryMatcher(entry: CorsOriginEntry, credentials: boolean): (origin: string) => boolean {
  if (entry instanceof RegExp) {
    checkPattern(entry);
    return (origin) => entry.test(origin);
  }
  if (entry === 'null' && credentials)
    insecure('CORS origin "null" with credentials lets sandboxed iframes and file: pages in.');
  if (entry === 'null') return (origin) => origin === 'null';
  if (typeof entry !== 'string' || !originShape.test(entry)) {
    invalidOption(
      `CORS origin ${JSON.stringify(entry)} is not an origin: write scheme://host[:port] with no path or trailing slash, e.g. "https://app.example.com".`,
    );
  }
  const lower = entry.toLowerCase();
  const star = lower.indexOf('://*.');
  if (star === -1) return (origin) => origin.toLowerCase() === lower;
  // https://*.example.com: one or more labels in front of the parent domain, same scheme.
  const scheme = lower.slice(0, star + 3);
  const parent = lower.slice(star + 4);
  return (origin) => {
    const value = origin.toLowerCase();
    if (!value.startsWith(scheme) || !value.endsWith(parent)) return false;
    const labels = value.slice(scheme.length, value.length - parent.length);
    return labels.length > 0 && /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(labels);
  };
}

function originMatcher(options: CorsOptions, credentials: boolean): ((origin: string) => boolean) | '*' {
  const { origin } = options;
  if (origin === '*') {
    if (credentials)
      insecure(
        'origin: "*" with credentials: browsers refuse it, and reflecting the origin instead lets any site read your users\' data; list your origins.',
      );
    return '*';
  }
  if ((origin as unknown) === true) {
    insecure('origin: true reflects any Origin; list your origins, give an anchored RegExp or a function.');
  }
  if (typeof origin === 'function') {
    if (credentials && (origin('https://evil.com') || origin('null'))) {
      insecure(
        'The CORS origin function allows "https://evil.com" while credentials are on: it reflects any origin; allow only your own.',
      );
    }
    return origin;
  }
  const entries = Array.isArray(origin) ? origin : [origin as CorsOriginEntry];
  if (entries.length === 0) invalidOption('CORS origin list is empty; list at least one origin.');
  const matchers = entries.map((entry) => entryMatcher(entry, credentials));
  if (matchers.length === 1) return matchers[0]!;
  const exact = new Set(
    entries
      .filter((entry): entry is string => typeof entry === 'string' && !entry.includes('*'))
      .map((entry) => entry.toLowerCase()),
  );
  return (candidate) => exact.has(candidate.toLowerCase()) || matchers.some((matches) => matches(candidate));
}

function tokenList(name: string, values: readonly string[] | undefined): string | undefined {
  if (values === undefined) return undefined;
  for (const value of values) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value))
      invalidOption(`${name} entry ${JSON.stringify(value)} is not a header or method token.`);
  }
  return values.join(', ');
}

/**
 * Compiles a CORS policy, refusing insecure ones at start (ERR_SECURITY_INSECURE_CORS).
 *
 * @example
 * const cors = createCors({ origin: ['https://app.example.com', 'https://*.example.com'], credentials: true });
 */
export function createCors(options: CorsOptions): Cors {
  const credentials = options.credentials ?? false;
  const matcher = originMatcher(options, credentials);
  const methods = tokenList(
    'methods',
    (options.methods ?? defaultMethods).map((method) => method.toUpperCase()),
  )!;
  const allowedHeaders = tokenList('allowedHeaders', options.allowedHeaders);
  const exposed = tokenList('exposedHeaders', options.exposedHeaders);
  const maxAge = options.maxAge ?? 600;
  assertNumber('maxAge', maxAge);
  const privateNetwork = options.privateNetwork ?? false;
  const vary: readonly [string, string] = ['vary', 'Origin'];
  const notPreflight: CorsDecision = { preflight: false, headers: matcher === '*' ? [] : [vary] };

  return {
    decide(request) {
      const origin = request.header('origin');
      const isPreflight =
        request.method === 'OPTIONS' && request.header('access-control-request-method') !== undefined;
      if (origin === undefined)
        return isPreflight ? { preflight: true, headers: notPreflight.headers } : notPreflight;
      const allowed = matcher === '*' || matcher(origin);
      const headers: Array<readonly [string, string]> = [];
      if (matcher !== '*') headers.push(vary);
      if (!allowed) return { preflight: isPreflight, headers };
      headers.push(['access-control-allow-origin', matcher === '*' ? '*' : origin]);
      if (credentials) headers.push(['access-control-allow-credentials', 'true']);
      if (!isPreflight) {
        if (exposed !== undefined) headers.push(['access-control-expose-headers', exposed]);
        return { preflight: false, headers };
      }
      headers.push(['access-control-allow-methods', methods]);
      const requested = request.header('access-control-request-headers');
      const allowHeaders = allowedHeaders ?? requested;
      if (allowHeaders !== undefined && allowHeaders !== '')
        headers.push(['access-control-allow-headers', allowHeaders]);
      if (allowedHeaders === undefined && requested !== undefined)
        headers.push(['vary', 'Access-Control-Request-Headers']);
      headers.push(['access-control-max-age', String(maxAge)]);
      // Private Network Access: a public page asking a private-network server.
      if (privateNetwork && request.header('access-control-request-private-network') === 'true') {
        headers.push(['access-control-allow-private-network', 'true']);
      }
      return { preflight: true, headers };
    },
  };
}
