// The trusted client address (and scheme and host) of a request behind proxies: only hops added by
// proxies you name are believed. Shared by the rate limiter; @plinth/auth follows the same rules.
import type { RequestView } from './context.js';
import { SecurityError } from './errors.js';
import {
  type AddressRange,
  formatAddress,
  inRange,
  type ParsedAddress,
  parseAddress,
  parseRange,
  prefixKey,
} from './ip-address.js';

/** Named groups of proxy ranges, as Express's `trust proxy` names them. */
const presets: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

/** Options of {@link createClientIp}. */
export interface ClientIpOptions {
  /**
   * The proxies in front of the app: CIDR ranges, addresses, or `loopback` / `private` / `linklocal`.
   * Default: none, so the client is the TCP peer and forwarding headers are ignored.
   */
  proxies?: readonly string[];
  /** The header your proxies write; required when `proxies` is set. */
  header?: 'forwarded' | 'x-forwarded-for';
  /** IPv6 clients are grouped by this prefix length for keys (default 64: one /64 is one client). */
  ipv6Prefix?: number;
}

/** Who sent a request, as far as the trusted proxies vouch. */
export interface ClientInfo {
  /** The client's address (canonical text), or undefined when the runtime gave no peer. */
  readonly ip: string | undefined;
  /** The address to count by: the IPv4 address, or the IPv6 /64 (`2001:db8:1:2::/64`). */
  readonly key: string | undefined;
  /** `https` or `http`: from the trusted proxy's `proto`, else what the request itself says. */
  readonly scheme: string;
  /** The host the client addressed: from the trusted proxy, else the Host header. */
  readonly host: string | undefined;
}

/**
 * Resolves the client of a request; made once at start by {@link createClientIp}. It takes a
 * RequestView (its `peer`) or a fetch middleware context as it is (its `remoteAddress`): `peer` wins
 * when both are set.
 */
export interface ClientIp {
  resolve(
    request: Pick<RequestView, 'header'> &
      Partial<RequestView> & { readonly remoteAddress?: string | undefined },
    encrypted?: boolean,
  ): ClientInfo;
}

interface Hop {
  address: ParsedAddress | undefined;
  proto?: string | undefined;
  host?: string | undefined;
}

function refuse(message: string): never {
  throw new SecurityError('ERR_SECURITY_PROXY_MISCONFIGURED', message);
}

function parseProxies(proxies: readonly string[]): AddressRange[] {
  const ranges = proxies.flatMap((entry) => presets[entry] ?? [entry]).map(parseRange);
  for (const range of ranges) {
    if (range.prefix === 0) {
      refuse(
        `Trusting every address (${range.version === 4 ? '0.0.0.0/0' : '::/0'}) lets any client forge its address in a forwarding header; list your proxies' ranges instead.`,
      );
    }
  }
  return ranges;
}

function validate(options: ClientIpOptions): void {
  const hasProxies = (options.proxies?.length ?? 0) > 0;
  if (hasProxies && options.header === undefined) {
    refuse(
      'proxies is set but header is not: say which header your proxies write, header: "x-forwarded-for" or "forwarded".',
    );
  }
  if (!hasProxies && options.header !== undefined) {
    refuse(
      `header: "${options.header}" is only believable from a proxy you trust; list your proxies' addresses in proxies (e.g. ["loopback"] or ["10.0.0.0/8"]).`,
    );
  }
  if (
    options.header !== undefined &&
    options.header !== 'forwarded' &&
    options.header !== 'x-forwarded-for'
  ) {
    refuse(`header must be "forwarded" or "x-forwarded-for", got ${JSON.stringify(options.header)}.`);
  }
  const prefix = options.ipv6Prefix ?? 64;
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > 128) {
    refuse(`ipv6Prefix must be an integer from 1 to 128, got ${String(options.ipv6Prefix)}.`);
  }
}

/** Splits a header on commas outside quoted strings. */
function splitList(value: string): string[] {
  const items: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '"') quoted = !quoted;
    else if (char === '\\' && quoted) index++;
    else if (char === ',' && !quoted) {
      items.push(value.slice(start, index));
      start = index + 1;
    }
  }
  items.push(value.slice(start));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** RFC 7239 §6: `for` is an address, `"[v6]:port"`, `"v4:port"`, `unknown` or an obfuscated name. */
function forwardedNode(value: string): ParsedAddress | undefined {
  let node = value;
  if (node.startsWith('[')) node = node.slice(1, node.indexOf(']'));
  else if (node.indexOf(':') === node.lastIndexOf(':') && node.includes(':'))
    node = node.slice(0, node.indexOf(':'));
  return parseAddress(node);
}

/** RFC 7239: one hop per element, parameters `for`, `proto`, `host` (quoted or tokens). */
function forwardedHops(header: string): Hop[] {
  return splitList(header).map((element) => {
    const hop: Hop = { address: undefined };
    for (const pair of element.split(';')) {
      const equals = pair.indexOf('=');
      if (equals === -1) continue;
      const name = pair.slice(0, equals).trim().toLowerCase();
      let value = pair.slice(equals + 1).trim();
      if (value.startsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      if (name === 'for') hop.address = forwardedNode(value);
      else if (name === 'proto') hop.proto = value.toLowerCase();
      else if (name === 'host') hop.host = value;
    }
    return hop;
  });
}

function forwardedForHops(request: Pick<RequestView, 'header'>): Hop[] {
  const list = request.header('x-forwarded-for');
  if (list === undefined) return [];
  return splitList(list).map((entry) => ({ address: parseAddress(entry) }));
}

function firstValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim() || undefined;
}

/**
 * Makes the client resolver: walks the forwarding chain from the TCP peer leftwards while each hop
 * is a trusted proxy, so a client can prepend what it likes and still be counted as itself.
 * Refuses at start what cannot be right (a header with no proxies, proxies with no header, 0.0.0.0/0).
 *
 * @example
 * const clientIp = createClientIp({ proxies: ['loopback', '10.0.0.0/8'], header: 'x-forwarded-for' });
 */
export function createClientIp(options: ClientIpOptions = {}): ClientIp {
  validate(options);
  const ranges = parseProxies(options.proxies ?? []);
  const ipv6Prefix = options.ipv6Prefix ?? 64;
  const trusted = (address: ParsedAddress) => ranges.some((range) => inRange(address, range));
  const keyOf = (address: ParsedAddress, ip: string) =>
    address.version === 4 ? ip : prefixKey(address, ipv6Prefix);
  const info = (address: ParsedAddress | undefined, scheme: string, host: string | undefined): ClientInfo => {
    const ip = address === undefined ? undefined : formatAddress(address);
    return { ip, key: address === undefined ? undefined : keyOf(address, ip!), scheme, host };
  };
  // Peers repeat (keep-alive, the same clients): their parse and canonical text are remembered,
  // a bounded map cleared when full (bench "Express 5 app, rate limited").
  const peers = new Map<
    string,
    { address: ParsedAddress | undefined; ip: string | undefined; key: string | undefined }
  >();
  const peerOf = (text: string) => {
    let known = peers.get(text);
    if (known === undefined) {
      const address = parseAddress(text);
      const ip = address === undefined ? undefined : formatAddress(address);
      known = { address, ip, key: address === undefined ? undefined : keyOf(address, ip!) };
      if (peers.size >= 10_000) peers.clear();
      peers.set(text, known);
    }
    return known;
  };

  return {
    resolve(request, encrypted = false) {
      const ownScheme = encrypted ? 'https' : 'http';
      const ownHost = request.header('host');
      const address = request.peer ?? request.remoteAddress;
      const known = address === undefined ? undefined : peerOf(address);
      const peer = known?.address;
      if (peer === undefined || ranges.length === 0 || !trusted(peer)) {
        return { ip: known?.ip, key: known?.key, scheme: ownScheme, host: ownHost };
      }
      const hops =
        options.header === 'forwarded'
          ? forwardedHops(request.header('forwarded') ?? '')
          : forwardedForHops(request);
      let client: ParsedAddress = peer;
      let hop: Hop | undefined;
      for (let index = hops.length - 1; index >= 0; index--) {
        const candidate = hops[index]!;
        // A trusted proxy wrote garbage (or "unknown"): stop at the last address it vouched for.
        if (candidate.address === undefined) break;
        hop = candidate;
        client = candidate.address;
        if (!trusted(client)) break;
      }
      if (options.header === 'forwarded') {
        return info(client, hop?.proto ?? ownScheme, hop?.host ?? ownHost);
      }
      const proto = firstValue(request.header('x-forwarded-proto'))?.toLowerCase();
      return info(
        client,
        proto === 'https' || proto === 'http' ? proto : ownScheme,
        firstValue(request.header('x-forwarded-host')) ?? ownHost,
      );
    },
  };
}
