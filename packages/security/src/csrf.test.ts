import { describe, expect, it } from 'vitest';
import { createCsrf } from './csrf.js';

const request = (method: string, headers: Record<string, string>) => ({
  method,
  path: '/orders',
  peer: undefined,
  header: (name: string) => headers[name],
});
const secret = 'a-test-secret-of-at-least-32-bytes!!';

describe('createCsrf: Fetch Metadata and Origin first', () => {
  const csrf = createCsrf({ trustedOrigins: ['https://app.example.com'] });

  it('lets safe methods through whatever they carry', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(
        csrf.check(request(method, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' })).kind,
      ).toBe('allow');
    }
  });

  it('allows same-origin and user-initiated (none) requests', () => {
    expect(csrf.check(request('POST', { 'sec-fetch-site': 'same-origin' })).kind).toBe('allow');
    expect(csrf.check(request('POST', { 'sec-fetch-site': 'none' })).kind).toBe('allow');
  });

  it('rejects cross-site and same-site requests from untrusted origins with 403 CSRF_ORIGIN_REJECTED', () => {
    for (const site of ['cross-site', 'same-site']) {
      const verdict = csrf.check(
        request('POST', { 'sec-fetch-site': site, origin: 'https://evil.test', host: 'api.example.com' }),
      );
      expect(verdict.kind).toBe('reject');
      if (verdict.kind === 'reject')
        expect(verdict.error).toMatchObject({ status: 403, code: 'CSRF_ORIGIN_REJECTED', expose: true });
    }
  });

  it('allows a cross-site request from a trusted origin', () => {
    expect(
      csrf.check(request('DELETE', { 'sec-fetch-site': 'cross-site', origin: 'https://app.example.com' }))
        .kind,
    ).toBe('allow');
  });

  it('without Sec-Fetch-Site compares Origin with Host', () => {
    expect(
      csrf.check(request('POST', { origin: 'https://api.example.com', host: 'api.example.com' })).kind,
    ).toBe('allow');
    expect(csrf.check(request('POST', { origin: 'https://evil.test', host: 'api.example.com' })).kind).toBe(
      'reject',
    );
    expect(csrf.check(request('POST', { origin: 'null', host: 'api.example.com' })).kind).toBe('reject');
  });

  it('without either header and without a token secret lets the request through (not a browser)', () => {
    expect(csrf.check(request('POST', {})).kind).toBe('allow');
  });

  it('refuses a trusted origin with a path', () => {
    expect(() => createCsrf({ trustedOrigins: ['https://app.example.com/'] })).toThrowError(/origin/);
  });
});

describe('createCsrf: the signed double-submit token fallback', () => {
  const csrf = createCsrf({ token: { secret, session: (view) => view.header('x-session') ?? '' } });

  it('needs the token when neither Sec-Fetch-Site nor Origin is sent', () => {
    expect(csrf.check(request('POST', {})).kind).toBe('token');
    expect(csrf.verifyToken(request('POST', {}), undefined)).toMatchObject({
      kind: 'reject',
      error: { code: 'CSRF_TOKEN_INVALID' },
    });
  });

  it('accepts the cookie token echoed in the header for the same session', () => {
    const issued = csrf.token(request('GET', { 'x-session': 's1' }))!;
    expect(issued.setCookie).toMatch(/^__Host-csrf=[^;]+; Path=\/; SameSite=Lax; Secure$/);
    const cookie = `__Host-csrf=${issued.token}`;
    expect(
      csrf.check(request('POST', { 'x-session': 's1', cookie, 'x-csrf-token': issued.token })).kind,
    ).toBe('allow');
  });

  it('rejects the token of another session, a forged token and a header that differs from the cookie', () => {
    const issued = csrf.token(request('GET', { 'x-session': 's1' }))!;
    const cookie = `__Host-csrf=${issued.token}`;
    expect(
      csrf.check(request('POST', { 'x-session': 's2', cookie, 'x-csrf-token': issued.token })).kind,
    ).toBe('reject');
    const forged = `${issued.token.split('.')[0]}.AAAA`;
    expect(
      csrf.check(
        request('POST', { 'x-session': 's1', cookie: `__Host-csrf=${forged}`, 'x-csrf-token': forged }),
      ).kind,
    ).toBe('reject');
    const other = csrf.token(request('GET', { 'x-session': 's1' }))!.token;
    expect(csrf.check(request('POST', { 'x-session': 's1', cookie, 'x-csrf-token': other })).kind).toBe(
      'reject',
    );
  });

  it('reuses a valid cookie token instead of issuing a new one', () => {
    const issued = csrf.token(request('GET', { 'x-session': 's1' }))!;
    expect(csrf.token(request('GET', { 'x-session': 's1', cookie: `__Host-csrf=${issued.token}` }))).toEqual({
      token: issued.token,
    });
  });

  it('refuses a short secret and a __Host- cookie without Secure', () => {
    expect(() => createCsrf({ token: { secret: 'short', session: () => '' } })).toThrowError(/32 bytes/);
    expect(() =>
      createCsrf({ token: { secret, session: () => '', secure: false, cookieName: '__Host-x' } }),
    ).toThrowError(/Secure/);
  });
});
