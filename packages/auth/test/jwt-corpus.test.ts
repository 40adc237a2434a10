// The attack corpus (test/vectors/jwt-corpus.json) and the RFC 7520 positives, run table-driven:
// every attack fails closed with its typed ERR_AUTH_* code, every positive verifies.
import { readFileSync } from 'node:fs';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../src/errors.js';
import { importSigningKey, type SigningAlgorithm, type SigningKey } from '../src/keys.js';
import { createTokenVerifier, type TokenVerifier } from '../src/token-verifier.js';

interface Corpus {
  now: number;
  issuer: string;
  audience: string;
  clockTolerance: number;
  maxTokenLength: number;
  keys: Record<string, { alg: SigningAlgorithm; jwk: JWK }>;
  jweKey: JWK;
  positives: Array<{ name: string; token: string }>;
  negatives: Array<{ name: string; token: string; code: string }>;
  encrypted: Array<{ name: string; token: string; withoutDecryption: string; withDecryption: string | null }>;
}
const corpus = JSON.parse(
  readFileSync(new URL('./vectors/jwt-corpus.json', import.meta.url), 'utf8'),
) as Corpus;
const rfc7520 = JSON.parse(readFileSync(new URL('./vectors/rfc7520.json', import.meta.url), 'utf8')) as {
  payload: string;
  cases: Array<{ name: string; alg: SigningAlgorithm; jwk: JWK & { kid: string }; jws: string }>;
};

let keys: SigningKey[];
let verifier: TokenVerifier;
let decrypting: TokenVerifier;

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
    return (error as AuthError).reason;
  }
}

beforeAll(async () => {
  keys = await Promise.all(
    Object.entries(corpus.keys).map(([kid, { alg, jwk }]) => importSigningKey({ kid, alg, jwk })),
  );
  const base = {
    keys,
    issuer: corpus.issuer,
    audience: corpus.audience,
    clockTolerance: corpus.clockTolerance,
    maxTokenLength: corpus.maxTokenLength,
    now: () => corpus.now * 1000,
  };
  verifier = createTokenVerifier(base);
  const jweKey = (await importJWK(corpus.jweKey, 'dir')) as Uint8Array;
  decrypting = createTokenVerifier({ ...base, decryption: { key: jweKey } });
});

describe('the attack corpus', () => {
  it.each(corpus.negatives)('refuses $name with $code', async ({ token, code }) => {
    expect(await codeOf(() => verifier.verify(token))).toBe(code);
    // A second try must not be answered from the cache.
    expect(await codeOf(() => verifier.verify(token))).toBe(code);
  });

  it.each(corpus.encrypted)(
    'refuses encrypted tokens when decryption is off: $name',
    async ({ token, withoutDecryption }) => {
      expect(await codeOf(() => verifier.verify(token))).toBe(withoutDecryption);
    },
  );

  it.each(corpus.encrypted)(
    'with decryption on, $name answers as configured',
    async ({ token, withDecryption }) => {
      const outcome = await codeOf(() => decrypting.verify(token));
      expect(outcome).toBe(withDecryption ?? 'accepted');
    },
  );
});

describe('positives', () => {
  it.each(corpus.positives)('accepts $name', async ({ token }) => {
    const { payload } = await verifier.verify(token);
    expect(payload.sub).toBe('user-1');
  });

  it.each(rfc7520.cases)(
    '$name verifies with the key imported and bound to its algorithm',
    async (vector) => {
      const key = await importSigningKey({ kid: vector.jwk.kid, alg: vector.alg, jwk: vector.jwk });
      const { payload, protectedHeader } = await compactVerify(vector.jws, key.publicKey, {
        algorithms: [key.alg],
      });
      expect(new TextDecoder().decode(payload)).toBe(rfc7520.payload);
      expect(protectedHeader.kid).toBe(vector.jwk.kid);
      // Both examples are deterministic (PKCS #1 v1.5 and HMAC): signing again gives the same JWS.
      const again = await new CompactSign(new TextEncoder().encode(rfc7520.payload))
        .setProtectedHeader({ alg: vector.alg, kid: vector.jwk.kid })
        .sign(key.privateKey as Uint8Array);
      expect(again).toBe(vector.jws);
    },
  );
});
