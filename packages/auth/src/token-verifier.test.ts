import { describe, expect, it } from 'vitest';
import { AuthError } from './errors.js';
import { generateSigningKey, publicJwks } from './keys.js';
import { createTokenSigner } from './token-signer.js';
import { createTokenVerifier } from './token-verifier.js';

const issuer = 'https://auth.example';
const audience = 'api';

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).reason;
}

describe('sign and verify', () => {
  it.each(['HS256', 'RS256', 'ES256', 'EdDSA'] as const)(
    'round-trips a %s token with iss, aud, exp, jti and kid',
    async (alg) => {
      const key = await generateSigningKey(alg, { kid: `k-${alg}` });
      const signer = createTokenSigner({ keys: [key], issuer, audience, expiresIn: 60 });
      const token = await signer.sign({ sub: 'u1', roles: ['editor'] });
      const { payload, header } = await createTokenVerifier({ keys: [key], issuer, audience }).verify(token);
      expect(payload).toMatchObject({ sub: 'u1', iss: issuer, aud: audience, roles: ['editor'] });
      expect(payload.exp).toBe((payload.iat as number) + 60);
      expect(typeof payload.jti).toBe('string');
      expect(header).toMatchObject({ alg, kid: `k-${alg}`, typ: 'JWT' });
    },
  );

  it('follows a kid rotation: old tokens verify until the old key is dropped', async () => {
    const old = await generateSigningKey('EdDSA', { kid: 'old' });
    const next = await generateSigningKey('EdDSA', { kid: 'new' });
    const oldToken = await createTokenSigner({ keys: [old], issuer, audience }).sign({ sub: 'u1' });
    const newToken = await createTokenSigner({ keys: [next, old], issuer, audience }).sign({ sub: 'u1' });
    const both = createTokenVerifier({ keys: [next, old], issuer, audience });
    expect((await both.verify(oldToken)).header.kid).toBe('old');
    expect((await both.verify(newToken)).header.kid).toBe('new');
    const onlyNew = createTokenVerifier({ keys: [next], issuer, audience });
    expect(await rejection(onlyNew.verify(oldToken))).toBe('ERR_AUTH_KEY_NOT_FOUND');
  });

  it('publishes public keys only, never an HMAC secret or a private part', async () => {
    const keys = [
      await generateSigningKey('RS256', { kid: 'r' }),
      await generateSigningKey('HS256', { kid: 'h' }),
    ];
    const document = publicJwks(keys);
    expect(document.keys.map((jwk) => jwk.kid)).toEqual(['r']);
    expect(document.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(document.keys[0]).not.toHaveProperty('d');
  });

  it('refuses to start without issuer or audience, naming the option', () => {
    expect(() => createTokenVerifier({ keys: [], issuer, audience })).toThrow(/keys must be/);
    expect(() => createTokenVerifier({ keys: [{} as never], issuer: '', audience })).toThrow(
      /issuer is required/,
    );
    expect(() => createTokenVerifier({ keys: [{} as never], issuer, audience: [] })).toThrow(
      /audience is required/,
    );
  });
});

describe('the verified-token cache', () => {
  async function setup(extra: { isRevoked?: (payload: { jti?: string }) => boolean } = {}) {
    let clock = 1_800_000_000_000;
    const key = await generateSigningKey('HS256', { kid: 'k' });
    const signer = createTokenSigner({ keys: [key], issuer, audience, expiresIn: 60, now: () => clock });
    const verifier = createTokenVerifier({
      keys: [key],
      issuer,
      audience,
      clockTolerance: 5,
      now: () => clock,
      ...extra,
    });
    return { signer, verifier, advance: (ms: number) => (clock += ms) };
  }

  it('checks the signature on the first two verifications, then answers from the cache until cleared', async () => {
    const key = await generateSigningKey('HS256', { kid: 'k' });
    let resolves = 0;
    const resolver = {
      resolve: () => {
        resolves += 1;
        return key;
      },
      has: (kid: string | undefined) => kid === 'k',
    };
    const verifier = createTokenVerifier({ keys: resolver, issuer, audience });
    const token = await createTokenSigner({ keys: [key], issuer, audience }).sign({ sub: 'u1' });
    expect((await verifier.verify(token)).payload.sub).toBe('u1');
    expect(resolves).toBe(1);
    // Seen once, a token leaves no entry: its second verification checks the signature again.
    expect((await verifier.verify(token)).payload.sub).toBe('u1');
    expect(resolves).toBe(2);
    for (let index = 0; index < 5; index++) expect((await verifier.verify(token)).payload.sub).toBe('u1');
    expect(resolves).toBe(2);
    // Clearing forgets the first sight too.
    verifier.clearCache();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(resolves).toBe(4);
    await verifier.verify(token);
    expect(resolves).toBe(4);
  });

  it('keeps no entry for tokens seen once, however many', async () => {
    const key = await generateSigningKey('HS256', { kid: 'k' });
    let resolves = 0;
    const resolver = {
      resolve: () => {
        resolves += 1;
        return key;
      },
      has: (kid: string | undefined) => kid === 'k',
    };
    const verifier = createTokenVerifier({ keys: resolver, issuer, audience, cacheSize: 8 });
    const signer = createTokenSigner({ keys: [key], issuer, audience });
    const kept = await signer.sign({ sub: 'kept' });
    await verifier.verify(kept);
    await verifier.verify(kept);
    // A hundred first-seen tokens, more than the cache holds, do not push the admitted one out.
    for (let index = 0; index < 100; index++)
      await verifier.verify(await signer.sign({ sub: `once-${index}` }));
    const before = resolves;
    expect((await verifier.verify(kept)).payload.sub).toBe('kept');
    expect(resolves).toBe(before);
  });

  it('never trusts a cached token past its exp (plus tolerance)', async () => {
    const { signer, verifier, advance } = await setup();
    const token = await signer.sign({ sub: 'u1' });
    await verifier.verify(token);
    await verifier.verify(token); // cached from here on
    advance(64_000);
    expect((await verifier.verify(token)).payload.sub).toBe('u1');
    advance(2_000);
    expect(await rejection(verifier.verify(token))).toBe('ERR_AUTH_TOKEN_EXPIRED');
  });

  it('asks isRevoked on every verification, cached or not', async () => {
    const revoked = new Set<string>();
    const { signer, verifier } = await setup({ isRevoked: (payload) => revoked.has(payload.jti ?? '') });
    const token = await signer.sign({ sub: 'u1', jti: 'j1' });
    await verifier.verify(token);
    await verifier.verify(token); // cached from here on
    await verifier.verify(token);
    revoked.add('j1');
    expect(await rejection(verifier.verify(token))).toBe('ERR_AUTH_TOKEN_REVOKED');
  });

  it('refuses a token verified once and revoked since, before the cache would keep it', async () => {
    const revoked = new Set<string>();
    const { signer, verifier } = await setup({ isRevoked: (payload) => revoked.has(payload.jti ?? '') });
    const token = await signer.sign({ sub: 'u1', jti: 'j1' });
    expect((await verifier.verify(token)).payload.sub).toBe('u1');
    revoked.add('j1');
    expect(await rejection(verifier.verify(token))).toBe('ERR_AUTH_TOKEN_REVOKED');
    // Refused at its second sight, it is not admitted: a third try is refused again.
    expect(await rejection(verifier.verify(token))).toBe('ERR_AUTH_TOKEN_REVOKED');
  });

  it('refuses a token past its exp at its second sight, before the cache would keep it', async () => {
    const { signer, verifier, advance } = await setup();
    const token = await signer.sign({ sub: 'u1' });
    await verifier.verify(token);
    advance(66_000);
    expect(await rejection(verifier.verify(token))).toBe('ERR_AUTH_TOKEN_EXPIRED');
    expect(await rejection(verifier.verify(token))).toBe('ERR_AUTH_TOKEN_EXPIRED');
  });

  it('does not let a tampered token ride on a cached verification', async () => {
    const { signer, verifier } = await setup();
    const token = await signer.sign({ sub: 'u1' });
    await verifier.verify(token);
    await verifier.verify(token); // cached from here on
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: issuer, aud: audience, exp: 2e9 })).toString('base64url')}.${signature}`;
    expect(await rejection(verifier.verify(forged))).toBe('ERR_AUTH_TOKEN_SIGNATURE');
  });

  it('ends a cached token when its key is dropped', async () => {
    const key = await generateSigningKey('HS256', { kid: 'k' });
    const current = new Map([['k', key]]);
    const resolver = {
      resolve: (kid: string | undefined) => current.get(kid ?? ''),
      has: (kid: string | undefined) => current.has(kid ?? ''),
    };
    const verifier = createTokenVerifier({ keys: resolver, issuer, audience });
    const token = await createTokenSigner({ keys: [key], issuer, audience }).sign({ sub: 'u1' });
    await verifier.verify(token);
    await verifier.verify(token); // cached from here on
    expect((await verifier.verify(token)).payload.sub).toBe('u1');
    current.delete('k');
    expect(await rejection(verifier.verify(token))).toBe('ERR_AUTH_KEY_NOT_FOUND');
  });

  it('never puts the token in an error message', async () => {
    const { verifier } = await setup();
    const token = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.';
    const error = await verifier.verify(token).catch((caught: Error) => caught);
    expect(String((error as Error).message)).not.toContain(token.slice(0, 20));
  });
});
