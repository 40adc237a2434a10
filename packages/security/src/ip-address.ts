// IP addresses and CIDR ranges: parsing, matching and IPv6 prefix grouping for the client-IP helper.
import { isIPv4, isIPv6 } from 'node:net';
import { invalidOption } from './errors.js';

/** A parsed address: IPv4 as 4 bytes, IPv6 as 16 bytes (IPv4-mapped IPv6 is turned into IPv4). */
export interface ParsedAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

/** A CIDR range. */
export interface AddressRange {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

function parseV4(text: string): Uint8Array {
  return Uint8Array.from(text.split('.'), Number);
}

function parseV6(text: string): Uint8Array {
  let source = text;
  const zone = source.indexOf('%');
  if (zone !== -1) source = source.slice(0, zone);
  let tail: number[] = [];
  const lastColon = source.lastIndexOf(':');
  if (source.includes('.', lastColon)) {
    tail = [...parseV4(source.slice(lastColon + 1))];
    source = `${source.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = source.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

const mappedPrefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Parses an IPv4 or IPv6 address (brackets and zone allowed); undefined when it is not one. */
export function parseAddress(text: string): ParsedAddress | undefined {
  let value = text.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  if (isIPv4(value)) return { version: 4, bytes: parseV4(value) };
  if (!isIPv6(value)) return undefined;
  const bytes = parseV6(value);
  if (mappedPrefix.every((byte, index) => bytes[index] === byte)) {
    return { version: 4, bytes: bytes.slice(12) };
  }
  return { version: 6, bytes };
}

/** The canonical text of an address (IPv4 dotted, IPv6 RFC 5952 compressed). */
export function formatAddress(address: ParsedAddress): string {
  const { bytes } = address;
  if (address.version === 4) return bytes.join('.');
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((bytes[index]! << 8) | bytes[index + 1]!);
  // RFC 5952 §4.2.3: compress the longest run of two or more zero groups, the first when tied.
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128); throws ERR_SECURITY_INVALID_OPTION. */
export function parseRange(text: string): AddressRange {
  const slash = text.indexOf('/');
  const address = parseAddress(slash === -1 ? text : text.slice(0, slash));
  const max = address?.version === 4 ? 32 : 128;
  // An IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range it maps (10.0.0.0/8).
  const mapped = address?.version === 4 && text.includes(':') ? 96 : 0;
  const prefix = slash === -1 ? max : Number(text.slice(slash + 1)) - mapped;
  if (address === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    invalidOption(
      `"${text}" is not an IP address or CIDR range; write e.g. "10.0.0.0/8", "192.168.1.7" or "fd00::/8".`,
    );
  }
  return { version: address.version, bytes: address.bytes, prefix };
}

/** True when `address` lies inside `range`. */
export function inRange(address: ParsedAddress, range: AddressRange): boolean {
  if (address.version !== range.version) return false;
  const full = range.prefix >> 3;
  for (let index = 0; index < full; index++) {
    if (address.bytes[index] !== range.bytes[index]) return false;
  }
  const bits = range.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (address.bytes[full]! & mask) === (range.bytes[full]! & mask);
}

/** The address with every bit past `prefix` cleared, as `addr/prefix` text (IPv6 grouping). */
export function prefixKey(address: ParsedAddress, prefix: number): string {
  const bytes = address.bytes.slice();
  const full = prefix >> 3;
  const bits = prefix & 7;
  if (full < bytes.length) {
    bytes[full] = bits === 0 ? 0 : bytes[full]! & ((0xff << (8 - bits)) & 0xff);
    bytes.fill(0, full + 1);
  }
  return `${formatAddress({ version: address.version, bytes })}/${prefix}`;
}
