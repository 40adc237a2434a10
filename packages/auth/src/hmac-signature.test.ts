// The synchronous HS256 path must judge every token exactly as jose does: each case below is verified by
// that path (a CryptoKey secret), by our verifier through jose (the same secret as bytes, which jose
// imports itself) and by raw jose `jwtVerify`, and all three must agree.
import { createHmac, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthError } from './errors.js';
import { generateSigningKey, importSigningKey, type SigningKey } from './keys.js';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.js';

const issuer = 'https://auth.example';
const audience = 'api';
const now = 1_800_000_000;
const secret = randomBytes(32);
const other = randomBytes(32);

const segment = (value: string | Buffer | object) =>
  Buffer.from(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value)).toString(
    'base64url',
  );
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'u1',
  iss: issuer,
  aud: audience,
  iat: now - 60,
  exp: now + 600,
  ...extra,
});
const header = (extra: Record<string, unknown> = {}) => ({ alg: 'HS256', kid: 'hs', typ: 'JWT', ...extra });
const mac = (input: string, key: Buffer = secret, hash = 'sha256') =>
  createHmac(hash, key).update(input, 'latin1').digest('base64url');
/** A token whose signature is right for exactly the header and payload segments given. */
const signed = (head: string, body: string, key: Buffer = secret, hash = 'sha256') =>
  `${head}.${body}.${mac(`${head}.${body}`, key, hash)}`;
const valid = signed(segment(header()), segment(claims()));
const [validHead, validBody, validSignature] = valid.split('.') as [string, string, string];

// `stricter`: our verifier refuses it and raw jose, handed the one secret, accepts it (our kid rules,
// refused headers).
const cases: Array<{ name: string; token: string; stricter?: true }> = [
  { name: 'a valid token', token: valid },
  // Two keys: a token without kid names none of them (jose, given the one key, accepts it).
  { name: 'no kid', token: signed(segment({ alg: 'HS256' }), segment(claims())), stricter: true },
  { name: 'expired past the tolerance', token: signed(validHead, segment(claims({ exp: now - 6 }))) },
  { name: 'expired inside the tolerance', token: signed(validHead, segment(claims({ exp: now - 4 }))) },
  { name: 'nbf ahead past the tolerance', token: signed(validHead, segment(claims({ nbf: now + 6 }))) },
  { name: 'nbf ahead inside the tolerance', token: signed(validHead, segment(claims({ nbf: now + 4 }))) },
  { name: 'iat in the future', token: signed(validHead, segment(claims({ iat: now + 600 }))) },
  { name: 'exp a string', token: signed(validHead, segment(claims({ exp: String(now + 600) }))) },
  { name: 'nbf a string', token: signed(validHead, segment(claims({ nbf: 'now' }))) },
  { name: 'wrong iss', token: signed(validHead, segment(claims({ iss: 'https://evil.example' }))) },
  { name: 'wrong aud', token: signed(validHead, segment(claims({ aud: 'other' }))) },
  { name: 'aud a list holding ours', token: signed(validHead, segment(claims({ aud: ['x', audience] }))) },
  { name: 'no exp', token: signed(validHead, segment(claims({ exp: undefined }))) },
  { name: 'no iss', token: signed(validHead, segment(claims({ iss: undefined }))) },
  { name: 'payload not JSON', token: signed(validHead, segment('not json')) },
  { name: 'payload a JSON array', token: signed(validHead, segment('[1]')) },
  { name: 'payload not UTF-8', token: signed(validHead, segment(Buffer.from([0x7b, 0xff, 0x7d]))) },
  { name: 'payload segment padded', token: signed(validHead, `${segment(claims())}==`) },
  { name: 'payload segment in base64, not base64url', token: signed(validHead, '+/+/') },
  { name: 'payload segment not ASCII', token: signed(validHead, `${validBody}é`) },
  {
    // "Ł" is U+0141: read as latin1 bytes it would be "A", so the signature of the ASCII original fits.
    name: 'payload segment with a character whose low byte is ASCII',
    token: `${validHead}.${validBody.replace('A', 'Ł')}.${mac(`${validHead}.${validBody}`)}`,
  },
  { name: 'header padded', token: signed(`${validHead}=`, validBody) },
  { name: 'header not UTF-8', token: signed(segment(Buffer.from([0x7b, 0xff, 0x7d])), validBody) },
  { name: 'header a JSON array', token: signed(segment('["HS256"]'), validBody) },
  {
    name: 'header with spaces and escapes',
    token: signed(segment('{ "alg" : "HS\\u0032\\u003556" }'), validBody),
  },
  { name: 'header with a non-ASCII value', token: signed(segment(header({ note: 'é' })), validBody) },
  {
    name: 'crit naming an unknown extension',
    token: signed(segment(header({ crit: ['exp2'], exp2: 1 })), validBody),
  },
  { name: 'crit empty', token: signed(segment(header({ crit: [] })), validBody) },
  { name: 'crit not a list', token: signed(segment(header({ crit: 'b64', b64: true })), validBody) },
  { name: 'crit b64, b64 true', token: signed(segment(header({ crit: ['b64'], b64: true })), validBody) },
  { name: 'crit b64, b64 false', token: signed(segment(header({ crit: ['b64'], b64: false })), 'abc') },
  { name: 'crit b64, b64 missing', token: signed(segment(header({ crit: ['b64'] })), validBody) },
  { name: 'b64 false without crit', token: signed(segment(header({ b64: false })), validBody) },
  { name: 'alg none', token: `${segment({ alg: 'none', kid: 'hs' })}.${validBody}.` },
  { name: 'alg hs256, lower case', token: signed(segment(header({ alg: 'hs256' })), validBody) },
  {
    name: 'alg HS384 with the same secret',
    token: signed(segment(header({ alg: 'HS384' })), validBody, secret, 'sha384'),
  },
  { name: 'alg RS256 naming the HS256 key', token: signed(segment(header({ alg: 'RS256' })), validBody) },
  { name: 'alg missing', token: signed(segment({ kid: 'hs' }), validBody) },
  { name: 'unknown kid', token: signed(segment(header({ kid: 'hs-2' })), validBody), stricter: true },
  { name: 'kid not a string', token: signed(segment(header({ kid: 7 })), validBody), stricter: true },
  { name: 'kid __proto__', token: signed(segment(header({ kid: '__proto__' })), validBody), stricter: true },
  {
    name: 'kid of the RS256 key (algorithm confusion)',
    token: signed(segment(header({ kid: 'rs' })), validBody),
    stricter: true,
  },
  {
    name: 'jku header',
    token: signed(segment(header({ jku: 'https://evil.example' })), validBody),
    stricter: true,
  },
  { name: 'signed with another secret', token: signed(validHead, validBody, other) },
  { name: 'signed with HMAC-SHA384', token: signed(validHead, validBody, secret, 'sha384') },
  { name: 'signature empty', token: `${validHead}.${validBody}.` },
  {
    name: 'signature one character short',
    token: `${validHead}.${validBody}.${validSignature.slice(0, -1)}`,
  },
  { name: 'signature one character long', token: `${valid}A` },
  { name: 'signature padded', token: `${valid}=` },
  {
    name: 'signature with a space inside',
    token: `${validHead}.${validBody}.${validSignature.slice(0, 9)} ${validSignature.slice(9)}`,
  },
  {
    name: 'signature in base64, not base64url',
    token: `${validHead}.${validBody}.${Buffer.from(validSignature, 'base64url').toString('base64')}`,
  },
  { name: 'signature with a non-ASCII character', token: `${valid.slice(0, -1)}é` },
  { name: 'signature of the header alone', token: `${validHead}.${validBody}.${mac(validHead)}` },
];

// Every character of the valid token changed to each of a few others: a bit flip, the base64
// characters that mean the same bits elsewhere, a separator, padding, whitespace.
const mutations = [...valid].flatMap((character, at) =>
  [String.fromCharCode(character.charCodeAt(0) ^ 1), '+', '/', '-', '_', '.', '=', ' ']
    .filter((replacement) => replacement !== character)
    .map((replacement) => `${valid.slice(0, at)}${replacement}${valid.slice(at + 1)}`),
);

let fast: TokenVerifier;
let throughJose: TokenVerifier;
let rsa: SigningKey;

async function outcome(verifier: TokenVerifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).reason;
  }
}

async function joseAccepts(token: string): Promise<boolean> {
  try {
    await jwtVerify(token, secret, {
      issuer,
      audience,
      algorithms: ['HS256'],
      requiredClaims: ['iss', 'aud', 'exp'],
      clockTolerance: 5,
      currentDate: new Date(now * 1000),
    });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  rsa = await generateSigningKey('RS256', { kid: 'rs' });
  const options = { issuer, audience, clockTolerance: 5, cacheSize: 0, now: () => now * 1000 };
  const hs = await importSigningKey({ kid: 'hs', alg: 'HS256', secret });
  fast = createTokenVerifier({ ...options, keys: [hs, rsa] });
  throughJose = createTokenVerifier({
    ...options,
    keys: [{ kid: 'hs', alg: 'HS256', publicKey: secret }, rsa],
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('HS256 verified on node:crypto', () => {
  it('verifies an HS256 token without WebCrypto, and leaves other keys to jose', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify');
    expect((await fast.verify(valid)).payload.sub).toBe('u1');
    expect(verify).not.toHaveBeenCalled();
    expect((await throughJose.verify(valid)).payload.sub).toBe('u1');
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('verifies with a key found asynchronously (a KeyResolver), still pinned to its algorithm', async () => {
    const hs = await importSigningKey({ kid: 'hs', alg: 'HS256', secret });
    const keys = new Map([
      ['hs', hs],
      ['rs', rsa],
    ]);
    const verifier = createTokenVerifier({
      keys: { resolve: async (kid) => keys.get(kid ?? ''), has: (kid) => keys.has(kid ?? '') },
      issuer,
      audience,
      now: () => now * 1000,
    });
    const verify = vi.spyOn(crypto.subtle, 'verify');
    expect((await verifier.verify(valid)).header.kid).toBe('hs');
    expect(verify).not.toHaveBeenCalled();
    const confused = signed(segment(header({ kid: 'rs' })), validBody);
    expect(await outcome(verifier, confused)).toBe('ERR_AUTH_ALGORITHM_REJECTED');
  });

  it('leaves a secret that may not verify to jose, which refuses it', async () => {
    const signOnly = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    const verifier = createTokenVerifier({
      keys: [{ kid: 'hs', alg: 'HS256', publicKey: signOnly }],
      issuer,
      audience,
      now: () => now * 1000,
    });
    expect(await outcome(verifier, valid)).toBe('ERR_AUTH_TOKEN_MALFORMED');
  });

  it.each(cases)('judges "$name" as jose does', async ({ token, stricter }) => {
    const verdict = await outcome(fast, token);
    expect(verdict).toBe(await outcome(throughJose, token));
    expect(verdict === 'accepted').toBe(stricter ? false : await joseAccepts(token));
  });

  it('judges every one-character change of a valid token as jose does', async () => {
    const disagreements: string[] = [];
    for (const token of mutations) {
      const verdict = await outcome(fast, token);
      const expected = await outcome(throughJose, token);
      if (verdict !== expected || (verdict === 'accepted') !== (await joseAccepts(token)))
        disagreements.push(`${token}: ${verdict}, through jose ${expected}`);
    }
    expect(disagreements).toEqual([]);
    expect(mutations.length).toBeGreaterThan(1000);
  });
});
