import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthError } from './errors.js';
import { generateSigningKey, publicJwks, type SigningKey } from './keys.js';
import { createRemoteJwks } from './remote-jwks.js';
import { createTokenSigner } from './token-signer.js';
import { createTokenVerifier } from './token-verifier.js';

let server: Server;
let url: string;
let published: { keys: JWK[] } = { keys: [] };
let requests = 0;
let first: SigningKey;
let second: SigningKey;

beforeAll(async () => {
  first = await generateSigningKey('ES256', { kid: 'one' });
  second = await generateSigningKey('RS256', { kid: 'two' });
  published = publicJwks([first]);
  server = createServer((_request, response) => {
    requests += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(published));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createRemoteJwks against a JWKS server on 127.0.0.1', () => {
  it('caches the set, refetches once for a new kid, and rate-limits refetches for unknown kids', async () => {
    let clock = 0;
    const jwks = createRemoteJwks(url, { cooldown: 30_000, now: () => clock });
    const verifier = createTokenVerifier({
      keys: jwks,
      issuer: 'i',
      audience: 'a',
      cacheSize: 0,
      now: () => 1_800_000_000_000,
    });
    const sign = (key: SigningKey) =>
      createTokenSigner({ keys: [key], issuer: 'i', audience: 'a', now: () => 1_800_000_000_000 }).sign({
        sub: 'u',
      });
    const before = requests;
    await verifier.verify(await sign(first));
    await verifier.verify(await sign(first));
    expect(requests - before).toBe(1);

    // The provider rotates in key "two": the first token naming it triggers one refetch after the cooldown.
    published = publicJwks([second, first]);
    const tokenTwo = await sign(second);
    const refused = await verifier.verify(tokenTwo).catch((error: AuthError) => error.reason);
    expect(refused).toBe('ERR_AUTH_KEY_NOT_FOUND');
    clock += 30_000;
    expect((await verifier.verify(tokenTwo)).header.kid).toBe('two');
    expect(requests - before).toBe(2);

    // A flood of bogus kids inside one cooldown costs no request at all.
    const bogus = await createTokenSigner({
      keys: [await generateSigningKey('ES256', { kid: 'bogus' })],
      issuer: 'i',
      audience: 'a',
      now: () => 1_800_000_000_000,
    }).sign({ sub: 'u' });
    await Promise.all(Array.from({ length: 50 }, () => verifier.verify(bogus).catch(() => undefined)));
    expect(requests - before).toBe(2);
    expect(jwks.fetches).toBe(2);
  });

  it('answers ERR_AUTH_JWKS_UNAVAILABLE when the set cannot be fetched at all', async () => {
    const jwks = createRemoteJwks('http://127.0.0.1:1/jwks.json', { timeout: 1_000 });
    const error = await Promise.resolve(jwks.resolve('x')).catch((caught: AuthError) => caught);
    expect((error as AuthError).reason).toBe('ERR_AUTH_JWKS_UNAVAILABLE');
  });

  it('refuses a plain-http URL that is not loopback', () => {
    expect(() => createRemoteJwks('http://idp.example/jwks.json')).toThrow(/https/);
  });
});
