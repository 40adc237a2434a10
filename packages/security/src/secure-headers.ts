// The secure response headers helmet sends by default, each configurable, computed once at start into
// one array of [name, value] pairs; only a CSP nonce (when on) is made per response.
import { type CompiledCsp, type CspOptions, compileCsp } from './content-security-policy.js';
import { assertNumber, invalidOption } from './errors.js';
import { createNonce } from './nonce.js';

/** Options of {@link createSecureHeaders}: `false` drops a header, a value replaces the default. */
export interface SecureHeadersOptions {
  /** Default: helmet's policy. */
  contentSecurityPolicy?: CspOptions | false;
  /** Default `{ maxAge: 31536000, includeSubDomains: true }`. */
  strictTransportSecurity?: { maxAge?: number; includeSubDomains?: boolean; preload?: boolean } | false;
  /** `nosniff` (default) or false. */
  xContentTypeOptions?: boolean;
  /** Default `no-referrer`; a list gives fallbacks. */
  referrerPolicy?: string | readonly string[] | false;
  /** Default `same-origin`. */
  crossOriginOpenerPolicy?:
    | 'same-origin'
    | 'same-origin-allow-popups'
    | 'unsafe-none'
    | 'noopener-allow-popups'
    | false;
  /** Default `same-origin`. */
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin' | false;
  /** Off by default (as in helmet 8): `require-corp` or `credentialless`. */
  crossOriginEmbedderPolicy?: 'require-corp' | 'credentialless' | 'unsafe-none' | false;
  /** Default `SAMEORIGIN` (frame-ancestors in the CSP is the modern form). */
  xFrameOptions?: 'DENY' | 'SAMEORIGIN' | false;
  /** Default `off`. */
  xDnsPrefetchControl?: 'on' | 'off' | false;
  /** `?1` by default. */
  originAgentCluster?: boolean;
  /** `none` by default. */
  xPermittedCrossDomainPolicies?: 'none' | 'master-only' | 'by-content-type' | 'all' | false;
  /** `noopen` by default (old IE downloads). */
  xDownloadOptions?: boolean;
  /** `0` by default: the old XSS auditor caused leaks; turned off explicitly. */
  xXssProtection?: boolean;
}

/** The compiled header set; adapters call `forResponse`. */
export interface SecureHeaders {
  /** Every header except the CSP when it carries a nonce, in the order they are set. */
  readonly fixed: ReadonlyArray<readonly [string, string]>;
  /** True when each response needs its own nonce. */
  readonly usesNonce: boolean;
  /** The CSP header for a response with this nonce (only when `usesNonce`). */
  csp(nonce: string): readonly [string, string];
  /** A fresh nonce. */
  nonce(): string;
}

const referrerPolicies = new Set([
  'no-referrer',
  'no-referrer-when-downgrade',
  'same-origin',
  'origin',
  'strict-origin',
  'origin-when-cross-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
  '',
]);

function hsts(options: SecureHeadersOptions['strictTransportSecurity']): string | undefined {
  if (options === false) return undefined;
  const maxAge = options?.maxAge ?? 31_536_000;
  assertNumber('strictTransportSecurity.maxAge', maxAge);
  const includeSubDomains = options?.includeSubDomains ?? true;
  if (options?.preload && (!includeSubDomains || maxAge < 31_536_000)) {
    invalidOption('HSTS preload requires includeSubDomains and maxAge ≥ 31536000 (hstspreload.org).');
  }
  return `max-age=${Math.floor(maxAge)}${includeSubDomains ? '; includeSubDomains' : ''}${options?.preload ? '; preload' : ''}`;
}

function referrer(value: SecureHeadersOptions['referrerPolicy']): string | undefined {
  if (value === false) return undefined;
  const list = value === undefined ? ['no-referrer'] : typeof value === 'string' ? [value] : [...value];
  for (const policy of list) {
    if (!referrerPolicies.has(policy))
      invalidOption(`referrerPolicy ${JSON.stringify(policy)} is not a Referrer-Policy token.`);
  }
  return list.join(',');
}

function fixedHeaders(
  options: SecureHeadersOptions,
  csp: CompiledCsp | undefined,
): Array<readonly [string, string]> {
  const headers: Array<readonly [string, string] | undefined> = [
    csp?.value === undefined ? undefined : [csp.name, csp.value],
    options.crossOriginOpenerPolicy === false
      ? undefined
      : ['cross-origin-opener-policy', options.crossOriginOpenerPolicy ?? 'same-origin'],
    options.crossOriginResourcePolicy === false
      ? undefined
      : ['cross-origin-resource-policy', options.crossOriginResourcePolicy ?? 'same-origin'],
    options.crossOriginEmbedderPolicy
      ? ['cross-origin-embedder-policy', options.crossOriginEmbedderPolicy]
      : undefined,
    options.originAgentCluster === false ? undefined : ['origin-agent-cluster', '?1'],
    ((value) => (value === undefined ? undefined : (['referrer-policy', value] as const)))(
      referrer(options.referrerPolicy),
    ),
    ((value) => (value === undefined ? undefined : (['strict-transport-security', value] as const)))(
      hsts(options.strictTransportSecurity),
    ),
    options.xContentTypeOptions === false ? undefined : ['x-content-type-options', 'nosniff'],
    options.xDnsPrefetchControl === false
      ? undefined
      : ['x-dns-prefetch-control', options.xDnsPrefetchControl ?? 'off'],
    options.xDownloadOptions === false ? undefined : ['x-download-options', 'noopen'],
    options.xFrameOptions === false ? undefined : ['x-frame-options', options.xFrameOptions ?? 'SAMEORIGIN'],
    options.xPermittedCrossDomainPolicies === false
      ? undefined
      : ['x-permitted-cross-domain-policies', options.xPermittedCrossDomainPolicies ?? 'none'],
    options.xXssProtection === false ? undefined : ['x-xss-protection', '0'],
  ];
  return headers.filter((header): header is readonly [string, string] => header !== undefined);
}

/**
 * Compiles the header set once. Adapters set `fixed` on every response and, with a CSP nonce,
 * one more header joined from precomputed pieces.
 *
 * @example
 * const headers = createSecureHeaders({ contentSecurityPolicy: { nonce: true } });
 */
export function createSecureHeaders(options: SecureHeadersOptions = {}): SecureHeaders {
  const csp = options.contentSecurityPolicy === false ? undefined : compileCsp(options.contentSecurityPolicy);
  const fixed = fixedHeaders(options, csp);
  // Adapters may write these without node's per-call validation: check every value once here (RFC 9110 §5.5).
  for (const [name, value] of fixed) {
    if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value))
      invalidOption(`The ${name} header value contains a control character.`);
  }
  const pieces = csp?.pieces;
  return {
    fixed,
    usesNonce: pieces !== undefined,
    csp(nonce) {
      return [csp!.name, pieces!.join(nonce)];
    },
    nonce: createNonce,
  };
}
