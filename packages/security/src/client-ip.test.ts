import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/client-ip.json' with { type: 'json' };
import { type ClientIpOptions, createClientIp } from './client-ip.js';
import type { SecurityError } from './errors.js';

const view = (peer: string, headers: Record<string, string>) => ({
  method: 'GET',
  path: '/',
  peer,
  header: (name: string) => headers[name],
});

describe('createClientIp', () => {
  for (const vector of vectors) {
    it(vector.name, () => {
      const resolver = createClientIp(vector.options as ClientIpOptions);
      expect(resolver.resolve(view(vector.peer, vector.headers as Record<string, string>))).toMatchObject(
        vector.expect,
      );
    });
  }

  it.each([
    [{ proxies: ['10.0.0.0/8'] }, /header/],
    [{ header: 'x-forwarded-for' }, /proxies/],
    [{ proxies: ['0.0.0.0/0'], header: 'x-forwarded-for' }, /every address/],
    [{ proxies: ['::/0'], header: 'forwarded' }, /every address/],
    [{ ipv6Prefix: 0 }, /ipv6Prefix/],
  ] as Array<[ClientIpOptions, RegExp]>)('refuses the misconfiguration %j at start', (options, message) => {
    expect(() => createClientIp(options)).toThrowError(message);
    try {
      createClientIp(options);
    } catch (error) {
      expect((error as SecurityError).code).toBe('ERR_SECURITY_PROXY_MISCONFIGURED');
    }
  });

  it('refuses a proxy that is not an address or range', () => {
    expect(() => createClientIp({ proxies: ['10.0.0.0/33'], header: 'x-forwarded-for' })).toThrowError(
      /CIDR/,
    );
    expect(() => createClientIp({ proxies: ['proxy.local'], header: 'x-forwarded-for' })).toThrowError(
      /CIDR/,
    );
  });
});
