// Outgoing HTTP through global fetch and undici's request(), intercepted by mockHttp().
import { request as undiciRequest } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpMock, mockHttp } from '../src/mock-http.js';

let http: HttpMock | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

describe('mockHttp()', () => {
  it('answers global fetch and undici request() from declared expectations', async () => {
    http = mockHttp();
    http
      .expect('POST', 'https://pay.example.test/charges', { body: /"amount":100/ })
      .reply(201, { id: 'ch_1' });
    http.expect('GET', 'https://pay.example.test/charges/ch_1').reply(200, 'paid', { 'x-trace': 't1' });

    const created = await fetch('https://pay.example.test/charges', {
      method: 'POST',
      body: JSON.stringify({ amount: 100 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(await created.json()).toEqual({ id: 'ch_1' });

    const fetched = await undiciRequest('https://pay.example.test/charges/ch_1');
    expect(fetched.statusCode).toBe(200);
    expect(fetched.headers['x-trace']).toBe('t1');
    expect(await fetched.body.text()).toBe('paid');

    expect(http.calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'POST https://pay.example.test/charges',
      'GET https://pay.example.test/charges/ch_1',
    ]);
    expect(http.calls[0]?.body).toBe('{"amount":100}');
    http.verify();
  });

  it('fails a request nothing expects, and verify() lists it with the unused expectations', async () => {
    http = mockHttp();
    http.expect('GET', 'https://api.example.test/users?page=1').reply(200, []);
    http.expect('DELETE', 'https://api.example.test/users/7', { times: 2 }).reply(204);
    await expect(fetch('https://api.example.test/users?page=2')).rejects.toThrow();
    await fetch('https://api.example.test/users/7', { method: 'DELETE' });

    let message = '';
    try {
      http.verify();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_TESTING_HTTP_UNMATCHED' });
      message = (error as Error).message;
    }
    expect(message).toContain(
      '1 outgoing request(s) matched no expectation:\n  GET https://api.example.test/users?page=2',
    );
    expect(message).toContain('GET https://api.example.test/users?page=1 (expected 1×, called 0×)');
    expect(message).toContain('DELETE https://api.example.test/users/7 (expected 2×, called 1×)');
  });

  it('reports an expectation never called as unused', async () => {
    http = mockHttp();
    http.expect('GET', 'https://api.example.test/health').reply(200);
    expect(() => http!.verify()).toThrowError(expect.objectContaining({ code: 'ERR_TESTING_HTTP_UNUSED' }));
  });

  it('answers from a function of the request and can fail like the network', async () => {
    http = mockHttp();
    http
      .expect('POST', 'https://echo.example.test/', { times: Number.POSITIVE_INFINITY })
      .replyWith((request) => ({ status: 200, body: { echoed: request.body } }));
    http.expect('GET', 'https://down.example.test/').fail(new Error('ECONNREFUSED'));
    for (const word of ['a', 'b']) {
      const response = await fetch('https://echo.example.test/', { method: 'POST', body: word });
      expect(await response.json()).toEqual({ echoed: word });
    }
    await expect(fetch('https://down.example.test/')).rejects.toThrow();
    http.verify();
  });

  it('matches headers and leaves the previous dispatcher in place after close()', async () => {
    const before = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')];
    http = mockHttp();
    http
      .expect('GET', 'https://api.example.test/me', { headers: { authorization: 'Bearer t' } })
      .reply(200, { id: 1 });
    await expect(fetch('https://api.example.test/me')).rejects.toThrow();
    const response = await fetch('https://api.example.test/me', { headers: { authorization: 'Bearer t' } });
    expect(await response.json()).toEqual({ id: 1 });
    await http.close();
    http = undefined;
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')]).toBe(before);
  });

  it('says what URL it needs', () => {
    http = mockHttp();
    expect(() => http!.expect('GET', '/relative')).toThrowError(/absolute URL/);
  });
});
