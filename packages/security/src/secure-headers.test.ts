import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { createSecureHeaders } from './secure-headers.js';

/** The headers helmet 8 sets with its defaults, captured from a fake response. */
function helmetDefaults(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => {},
  };
  helmet()({} as never, res as never, () => {});
  return headers;
}

const asRecord = (pairs: ReadonlyArray<readonly [string, string]>) => Object.fromEntries(pairs);

describe('createSecureHeaders', () => {
  it("sends exactly helmet 8's default set", () => {
    const ours = asRecord(createSecureHeaders().fixed);
    const theirs = helmetDefaults();
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    // Same directives; we separate them with "; " as CSP3 writes them, helmet with ";".
    expect(ours['content-security-policy']!.split('; ')).toEqual(
      theirs['content-security-policy']!.split(';'),
    );
    const { 'content-security-policy': _ours, ...rest } = ours;
    const { 'content-security-policy': _theirs, ...helmetRest } = theirs;
    expect(rest).toEqual(helmetRest);
  });

  it('drops a header set to false and replaces values', () => {
    const headers = asRecord(
      createSecureHeaders({
        xFrameOptions: false,
        strictTransportSecurity: { maxAge: 63_072_000, preload: true },
        referrerPolicy: ['no-referrer', 'strict-origin-when-cross-origin'],
        crossOriginEmbedderPolicy: 'require-corp',
        contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: false } },
      }).fixed,
    );
    expect(headers['x-frame-options']).toBeUndefined();
    expect(headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains; preload');
    expect(headers['referrer-policy']).toBe('no-referrer,strict-origin-when-cross-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('puts a fresh nonce in script-src and style-src of each response', () => {
    const compiled = createSecureHeaders({ contentSecurityPolicy: { nonce: true } });
    expect(compiled.usesNonce).toBe(true);
    expect(asRecord(compiled.fixed)['content-security-policy']).toBeUndefined();
    const first = compiled.nonce();
    const second = compiled.nonce();
    expect(first).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(first).not.toBe(second);
    const [name, value] = compiled.csp(first);
    expect(name).toBe('content-security-policy');
    expect(value).toContain(`script-src 'self' 'nonce-${first}';`);
    expect(value).toContain(`style-src 'self' https: 'nonce-${first}';`);
  });

  it('sends Report-Only when asked', () => {
    expect(
      asRecord(createSecureHeaders({ contentSecurityPolicy: { reportOnly: true } }).fixed),
    ).toHaveProperty('content-security-policy-report-only');
  });

  it('refuses unquoted keywords, separators in sources, bad referrer policies and a weak HSTS preload', () => {
    expect(() =>
      createSecureHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ['self'] } } }),
    ).toThrowError(/quoted/);
    expect(() =>
      createSecureHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'; x"] } } }),
    ).toThrowError(/;/);
    expect(() => createSecureHeaders({ referrerPolicy: 'never' })).toThrowError(/Referrer-Policy/);
    expect(() =>
      createSecureHeaders({ strictTransportSecurity: { maxAge: 60, preload: true } }),
    ).toThrowError(/preload/);
  });
});
