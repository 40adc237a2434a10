import { describe, expect, it } from 'vitest';
import { formatAddress, inRange, parseAddress, parseRange, prefixKey } from './ip-address.js';

describe('ip addresses', () => {
  it('formats IPv6 in RFC 5952 form', () => {
    expect(formatAddress(parseAddress('2001:0db8:0000:0000:0000:ff00:0042:8329')!)).toBe(
      '2001:db8::ff00:42:8329',
    );
    expect(formatAddress(parseAddress('2001:db8:0:1:0:0:0:1')!)).toBe('2001:db8:0:1::1');
    expect(formatAddress(parseAddress('::')!)).toBe('::');
    expect(formatAddress(parseAddress('[::1]')!)).toBe('::1');
  });

  it('rejects what is not an address', () => {
    for (const text of ['', '1.2.3', '256.1.1.1', 'example.com', '1.2.3.4:80', 'unknown']) {
      expect(parseAddress(text), text).toBeUndefined();
    }
  });

  it('matches CIDR ranges on bit boundaries', () => {
    const range = parseRange('172.16.0.0/12');
    expect(inRange(parseAddress('172.31.255.255')!, range)).toBe(true);
    expect(inRange(parseAddress('172.32.0.0')!, range)).toBe(false);
    expect(inRange(parseAddress('fd12::1')!, parseRange('fc00::/7'))).toBe(true);
    expect(inRange(parseAddress('fe00::1')!, parseRange('fc00::/7'))).toBe(false);
    expect(inRange(parseAddress('10.0.0.1')!, parseRange('::ffff:10.0.0.0/104'))).toBe(true);
    expect(inRange(parseAddress('11.0.0.1')!, parseRange('::ffff:10.0.0.0/104'))).toBe(false);
  });

  it('groups by prefix', () => {
    expect(prefixKey(parseAddress('2001:db8:aa:bb:1:2:3:4')!, 64)).toBe('2001:db8:aa:bb::/64');
    expect(prefixKey(parseAddress('2001:db8:aa:bb:1:2:3:4')!, 56)).toBe('2001:db8:aa::/56');
  });
});
