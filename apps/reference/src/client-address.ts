// The client's address. @plinth/http's context carries the TCP peer (`ctx.remoteAddress`, undefined
// in-process); @plinth/security's createClientIp believes X-Forwarded-For only from TRUSTED_PROXIES.
// Rate limits and the login throttle key by what it resolves.
import { createClientIp } from '@plinth/security';

/** What a request's client is resolved from: @plinth/http's context has all of it. */
export interface ClientRequest {
  readonly method: string;
  readonly path: string;
  header(name: string): string | undefined;
  readonly remoteAddress?: string | undefined;
}

/** The settings of the trusted-client-IP resolver; none trusted: the TCP peer is the client. */
export function clientIpOptions(trustedProxies: readonly string[]) {
  return trustedProxies.length === 0
    ? {}
    : { proxies: [...trustedProxies], header: 'x-forwarded-for' as const };
}

/** What one request is keyed by: its client's address (IPv6 by /64), or `unknown` in-process. */
export function createClientKey(trustedProxies: readonly string[]) {
  const clientIp = createClientIp(clientIpOptions(trustedProxies));
  return (request: ClientRequest) => clientIp.resolve(request).key ?? 'unknown';
}
