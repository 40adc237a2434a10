// The HS256 signature check of a compact JWS on node:crypto, synchronous: jose checks it with
// WebCrypto, which sends each HMAC to the thread pool and back — ~25 µs a token against ~5 µs here,
// decode and compare included (bench/index.ts "token seen for the first time"). Only the signature: the header, the key and
// the claims stay jose's or the verifier's, and anything unusual is left to jose (see token-verifier.ts).
import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';
import { base64url } from 'jose';
import type { KeyLike } from './keys.js';

// jose's own test of a signing input (lib/buffer_utils.js encode): a JWS is ASCII only.
const nonAscii = /[\u0080-\uffff]/;
const secrets = new WeakMap<object, KeyObject | null>();

/**
 * Internal: the HMAC secret of a key jose would accept for HS256 verification — a CryptoKey of type
 * "secret", HMAC with SHA-256, usable to verify (jose's checkCryptoKey) — or undefined for any other
 * key, which jose then verifies itself.
 */
export function hs256SecretOf(key: KeyLike): KeyObject | undefined {
  let secret = secrets.get(key);
  if (secret === undefined) {
    const candidate = key as Partial<CryptoKey> & { [Symbol.toStringTag]?: unknown };
    const algorithm = candidate.algorithm as Partial<HmacKeyAlgorithm> | undefined;
    secret =
      candidate[Symbol.toStringTag] === 'CryptoKey' &&
      candidate.type === 'secret' &&
      algorithm?.name === 'HMAC' &&
      algorithm.hash?.name === 'SHA-256' &&
      candidate.usages?.includes('verify') === true
        ? KeyObject.from(key as CryptoKey)
        : null;
    secrets.set(key, secret);
  }
  return secret ?? undefined;
}

/**
 * Internal: whether the signature of the compact JWS `token` (three segments) is the HS256 of its
 * signing input under `secret`; undefined when the signing input is not ASCII (jose refuses it, and
 * says why). The signature is decoded by jose's own base64url decoder, so exactly the strings jose
 * accepts are accepted, and compared in constant time; a signature of another length never verifies
 * (as WebCrypto's HMAC verify answers false).
 */
export function hs256Verifies(token: string, secret: KeyObject): boolean | undefined {
  const end = token.lastIndexOf('.');
  const signingInput = token.slice(0, end);
  if (nonAscii.test(signingInput)) return undefined;
  const signature = base64url.decode(token.slice(end + 1));
  const expected = createHmac('sha256', secret).update(signingInput, 'latin1').digest();
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}
