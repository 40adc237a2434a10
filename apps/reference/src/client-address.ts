// The client's address. @plinth/http's context carries no socket, so main.ts tells this module each
// request's TCP peer (an AsyncLocalStorage entered before the app sees the request); @plinth/security's
// createClientIp then believes X-Forwarded-For only from TRUSTED_PROXIES. Rate limits and the login
// throttle key by what it resolves.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import { createClientIp } from '@plinth/security';

const peers = new AsyncLocalStorage<string | undefined>();

/** Makes the peer of each request on `server` known to {@link peerAddress} (call before it serves). */
export function trackPeers(server: Pick<Server, 'prependListener'>): void {
  // Runs synchronously before @plinth/http's own 'request' listener, in the same execution context,
  // so everything the request does from here on reads this peer.
  server.prependListener('request', (request) => peers.enterWith(request.socket.remoteAddress));
}

/** The TCP peer of the request being served, or undefined in-process (inject(), app.fetch()). */
export function peerAddress(): string | undefined {
  return peers.getStore();
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
  return (request: { method: string; path: string; header(name: string): string | undefined }) =>
    clientIp.resolve({
      method: request.method,
      path: request.path,
      header: (name) => request.header(name),
      peer: peerAddress(),
    }).key ?? 'unknown';
}
