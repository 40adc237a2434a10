// Signing keys: each key carries its one algorithm, so a token can never choose how it is verified
// (the algorithm-confusion class: jsonwebtoken CVE-2022-23540/23541, HS256 signed with an RSA public key).
import { randomBytes, webcrypto } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, importPKCS8, importSPKI, type JWK } from 'jose';
import { invalidOption } from './errors.js';

/** The signature algorithms this package signs and verifies. */
export type SigningAlgorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

/** The CryptoKey/KeyObject/secret types jose accepts. */
export type KeyLike = CryptoKey | Uint8Array | import('node:crypto').KeyObject;

/** A key bound to one algorithm and one `kid`. `privateKey` is absent on verify-only keys. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  /** Signs (the private key, or the HMAC secret). */
  readonly privateKey?: KeyLike | undefined;
  /** Verifies (the public key, or the HMAC secret). */
  readonly publicKey: KeyLike;
  /** The public JWK served in our JWKS document (absent for HMAC secrets, which are never published). */
  readonly publicJwk?: JWK | undefined;
}

/** Internal: every algorithm this package signs and verifies. */
export const signingAlgorithms: readonly SigningAlgorithm[] = ['HS256', 'RS256', 'ES256', 'EdDSA'];
const kidPattern = /^[\x21-\x7e]{1,256}$/;

function assertAlgorithm(alg: unknown): asserts alg is SigningAlgorithm {
  if (!signingAlgorithms.includes(alg as SigningAlgorithm)) {
    invalidOption(`alg must be one of ${signingAlgorithms.join(', ')}, got ${JSON.stringify(alg)}.`);
  }
}

function assertKid(kid: unknown): asserts kid is string {
  if (typeof kid !== 'string' || !kidPattern.test(kid)) {
    invalidOption('kid must be 1-256 printable ASCII characters, e.g. "2026-12-01".');
  }
}

/**
 * An HMAC secret as a CryptoKey, imported once: jose converts a KeyObject to a CryptoKey on every
 * verification (seen in a CPU profile of bench "token seen for the first time").
 */
function hmacKey(bytes: Uint8Array): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]) as Promise<CryptoKey>;
}

function newKid(): string {
  return randomBytes(9).toString('base64url');
}

async function withPublicJwk(kid: string, alg: SigningAlgorithm, publicKey: KeyLike): Promise<JWK> {
  const jwk = await exportJWK(publicKey);
  return { ...jwk, kid, alg, use: 'sig' };
}

/**
 * Makes a fresh key for `alg` (an HMAC secret of 32 random bytes for HS256, a key pair otherwise).
 *
 * @example
 * const key = await generateSigningKey('EdDSA', { kid: '2026-12' });
 */
export async function generateSigningKey(
  alg: SigningAlgorithm,
  options: { kid?: string } = {},
): Promise<SigningKey> {
  assertAlgorithm(alg);
  const kid = options.kid ?? newKid();
  assertKid(kid);
  if (alg === 'HS256') {
    const secret = await hmacKey(randomBytes(32));
    return { kid, alg, privateKey: secret, publicKey: secret };
  }
  const pair = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  return {
    kid,
    alg,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk: await withPublicJwk(kid, alg, pair.publicKey),
  };
}

/** Where a key comes from: an HMAC secret, PEM text (PKCS#8 private or SPKI public) or a JWK. */
export type SigningKeySource =
  | { kid: string; alg: 'HS256'; secret: string | Uint8Array }
  | { kid: string; alg: Exclude<SigningAlgorithm, 'HS256'>; privatePem: string; publicPem?: string }
  | { kid: string; alg: Exclude<SigningAlgorithm, 'HS256'>; publicPem: string }
  | { kid: string; alg: SigningAlgorithm; jwk: JWK };

function secretBytes(secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  // RFC 7518 §3.2: an HS256 key must be at least 256 bits.
  if (bytes.byteLength < 32) invalidOption('An HS256 secret must be at least 32 bytes (RFC 7518 §3.2).');
  return bytes;
}

/**
 * Imports a key you already have, bound to its algorithm.
 *
 * @example
 * const key = await importSigningKey({ kid: 'k1', alg: 'RS256', privatePem: process.env.JWT_PRIVATE_KEY });
 */
export async function importSigningKey(source: SigningKeySource): Promise<SigningKey> {
  assertAlgorithm(source.alg);
  assertKid(source.kid);
  const { kid, alg } = source;
  if ('secret' in source) {
    const secret = await hmacKey(secretBytes(source.secret));
    return { kid, alg, privateKey: secret, publicKey: secret };
  }
  if ('jwk' in source) return importFromJwk(kid, alg, source.jwk);
  if ('privatePem' in source) {
    const privateKey = await importPKCS8(source.privatePem, alg, { extractable: true });
    const publicKey = source.publicPem
      ? await importSPKI(source.publicPem, alg, { extractable: true })
      : await publicOf(privateKey, alg);
    return { kid, alg, privateKey, publicKey, publicJwk: await withPublicJwk(kid, alg, publicKey) };
  }
  const publicKey = await importSPKI(source.publicPem, alg, { extractable: true });
  return { kid, alg, publicKey, publicJwk: await withPublicJwk(kid, alg, publicKey) };
}

async function publicOf(privateKey: KeyLike, alg: SigningAlgorithm): Promise<KeyLike> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = await exportJWK(privateKey);
  return (await importJWK(publicJwk, alg, { extractable: true })) as KeyLike;
}

async function importFromJwk(kid: string, alg: SigningAlgorithm, jwk: JWK): Promise<SigningKey> {
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    invalidOption(
      `The JWK says alg ${jwk.alg} but the key was declared ${alg}; pass the JWK's own algorithm.`,
    );
  }
  if (alg === 'HS256') {
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string')
      invalidOption('An HS256 JWK must be {"kty":"oct","k":"<base64url>"}.');
    const secret = await hmacKey(secretBytes(Buffer.from(jwk.k, 'base64url')));
    return { kid, alg, privateKey: secret, publicKey: secret };
  }
  const isPrivate = typeof jwk.d === 'string';
  const key = (await importJWK({ ...jwk, ext: true }, alg, { extractable: true })) as KeyLike;
  const publicKey = isPrivate ? await publicOf(key, alg) : key;
  return {
    kid,
    alg,
    privateKey: isPrivate ? key : undefined,
    publicKey,
    publicJwk: await withPublicJwk(kid, alg, publicKey),
  };
}

/** Internal: the algorithm a published JWK is bound to (its `alg`, else what its key type allows). */
export function algorithmOfJwk(
  jwk: JWK,
  fallbackRsa: SigningAlgorithm | undefined,
): SigningAlgorithm | undefined {
  if (jwk.alg !== undefined)
    return signingAlgorithms.includes(jwk.alg as SigningAlgorithm)
      ? (jwk.alg as SigningAlgorithm)
      : undefined;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'RSA') return fallbackRsa;
  return undefined;
}

/** The JWKS document (RFC 7517 §5) of the public keys in `keys`; HMAC secrets are never included. */
export function publicJwks(keys: readonly SigningKey[]): { keys: JWK[] } {
  return { keys: keys.flatMap((key) => (key.publicJwk ? [key.publicJwk] : [])) };
}

/** A fetch handler serving `publicJwks(keys)` with a cache lifetime, for `/.well-known/jwks.json`. */
export function jwksResponse(keys: readonly SigningKey[], options: { maxAge?: number } = {}): Response {
  const body = JSON.stringify(publicJwks(keys));
  return new Response(body, {
    headers: {
      'content-type': 'application/jwk-set+json',
      'cache-control': `public, max-age=${options.maxAge ?? 300}`,
    },
  });
}
