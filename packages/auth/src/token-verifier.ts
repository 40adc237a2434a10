// Access-token verification on jose: the key (found by `kid`) fixes the algorithm, iss/aud/exp are
// required by default, nbf/exp are checked with a clock tolerance, and dangerous headers fail closed.
import {
  base64url,
  decodeProtectedHeader,
  type JWTPayload,
  errors as joseErrors,
  jwtDecrypt,
  jwtVerify,
  UnsecuredJWT,
} from 'jose';
import { AuthError, type AuthErrorReason, invalidOption, UnauthenticatedError } from './errors.js';
import { hs256SecretOf, hs256Verifies } from './hmac-signature.js';
import { isResolver, type KeyResolver, staticResolver } from './key-resolver.js';
import { type KeyLike, type SigningKey, signingAlgorithms } from './keys.js';
import { VerifiedTokenCache } from './verified-cache.js';

/** Options of `createTokenVerifier`. */
export interface TokenVerifierOptions {
  /** Our keys (any may verify; `kid` picks one) or a resolver such as `createRemoteJwks(url)`. */
  keys: readonly SigningKey[] | KeyResolver;
  /** Accepted `iss` value(s); required. */
  issuer: string | readonly string[];
  /** Accepted `aud` value(s); required. */
  audience: string | readonly string[];
  /** Claims that must be present. Default `['iss', 'aud', 'exp']`. */
  requiredClaims?: readonly string[];
  /** Seconds of clock skew allowed on exp/nbf/iat. Default 5. */
  clockTolerance?: number;
  /** Longest token accepted, in characters. Default 8192. */
  maxTokenLength?: number;
  /**
   * Verified tokens remembered (keyed by a SHA-256 of the token), each from its second verification on;
   * 0 turns the cache off. Default 10000.
   */
  cacheSize?: number;
  /** Called on every verification, cached or not; true rejects the token (e.g. a revoked `jti`). */
  isRevoked?: (payload: Readonly<JWTPayload>) => boolean | Promise<boolean>;
  /** Accept encrypted tokens (JWE). PBES2 and compressed JWE stay refused unless enabled here. */
  decryption?: TokenDecryptionOptions;
  /** The clock, ms since epoch (tests). */
  now?: () => number;
}

/** How encrypted tokens (JWE) are accepted; off unless given. */
export interface TokenDecryptionOptions {
  /** The decryption key (a secret for `dir`/`A256KW`, a private key for RSA-OAEP/ECDH-ES). */
  key: KeyLike;
  /** Accepted key-management algorithms. Default `['dir', 'A256KW', 'RSA-OAEP-256', 'ECDH-ES']`. */
  keyManagementAlgorithms?: readonly string[];
  /** Allow PBES2 password-based key management (jose CVE-2022-36083: p2c DoS). Default false. */
  allowPbes2?: boolean;
  /** Allow `zip: "DEF"` compressed payloads (jose CVE-2024-28176: decompression bomb). Default false. */
  allowCompressed?: boolean;
}

/** A verified token. */
export interface VerifiedToken {
  readonly payload: Readonly<JWTPayload>;
  readonly header: Readonly<Record<string, unknown>>;
}

/** Verifies access tokens; see `createTokenVerifier`. */
export interface TokenVerifier {
  /** Resolves with the verified token or rejects with an `UnauthenticatedError` (ERR_AUTH_TOKEN_*). */
  verify(token: string): Promise<VerifiedToken>;
  /** Forgets every cached verification (e.g. after revoking many tokens at once). */
  clearCache(): void;
}

// The header of an unsecured JWT, under which jose's UnsecuredJWT.decode checks the claims of a payload
// whose signature is already verified (verifyHs256 below).
const unsecuredHeader = base64url.encode('{"alg":"none"}');

// Headers that point at keys elsewhere or carry their own: never followed, and a token carrying them fails.
const refusedHeaders = ['jku', 'x5u', 'jwk'] as const;

function fail(code: AuthErrorReason, message: string, cause?: unknown): never {
  throw new UnauthenticatedError(code, message, cause === undefined ? {} : { cause });
}

function decodeHeader(segment: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch (error) {
    fail('ERR_AUTH_TOKEN_MALFORMED', 'The token header is not base64url JSON.', error);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail('ERR_AUTH_TOKEN_MALFORMED', 'The token header is not a JSON object.');
  }
  return header as Record<string, unknown>;
}

/** Dots in a compact token: 2 for a JWS, 4 for a JWE (counted without splitting the token). */
function segmentsOf(token: string): 3 | 5 {
  let dots = 0;
  for (let at = token.indexOf('.'); at !== -1; at = token.indexOf('.', at + 1)) dots++;
  if (dots !== 2 && dots !== 4) fail('ERR_AUTH_TOKEN_MALFORMED', 'The token is not a compact JWS or JWE.');
  return dots === 2 ? 3 : 5;
}

function checkHeader(header: Record<string, unknown>): string | undefined {
  for (const name of refusedHeaders) {
    if (name in header)
      fail('ERR_AUTH_HEADER_REJECTED', `The token carries a "${name}" header, which is never followed.`);
  }
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') {
    fail(
      'ERR_AUTH_ALGORITHM_REJECTED',
      'The token has no signature algorithm (alg "none" is never accepted).',
    );
  }
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length > 256)) {
    fail('ERR_AUTH_KEY_NOT_FOUND', 'The token names no known key.');
  }
  return kid as string | undefined;
}

/** The checked header of an encrypted token (jose's JWE key callback comes after its own checks). */
function checkedHeader(token: string): Record<string, unknown> {
  const header = decodeHeader(token.slice(0, token.indexOf('.')));
  checkHeader(header);
  return header;
}

/** Internal: jose's error, told as ours (never echoing the token or a claim value). */
function translate(error: unknown): never {
  if (error instanceof AuthError) throw error;
  if (error instanceof joseErrors.JWTExpired) fail('ERR_AUTH_TOKEN_EXPIRED', 'The token has expired.', error);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf')
      fail('ERR_AUTH_TOKEN_NOT_YET_VALID', 'The token is not valid yet (nbf).', error);
    if (error.claim === 'iat' && error.reason === 'check_failed') {
      fail('ERR_AUTH_TOKEN_NOT_YET_VALID', 'The token was issued in the future (iat).', error);
    }
    fail('ERR_AUTH_TOKEN_CLAIM', `The token's "${error.claim}" claim is missing or not accepted.`, error);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    fail('ERR_AUTH_TOKEN_SIGNATURE', 'The token signature does not verify.', error);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    fail('ERR_AUTH_ALGORITHM_REJECTED', "The token's algorithm is not the key's algorithm.", error);
  }
  if (error instanceof joseErrors.JWEDecryptionFailed || error instanceof joseErrors.JWEInvalid) {
    fail('ERR_AUTH_JWE_REJECTED', 'The encrypted token does not decrypt.', error);
  }
  fail('ERR_AUTH_TOKEN_MALFORMED', 'The token is malformed.', error);
}

function validateOptions(options: TokenVerifierOptions): void {
  if (!isResolver(options.keys) && (!Array.isArray(options.keys) || options.keys.length === 0)) {
    invalidOption(
      'keys must be a non-empty array of SigningKey (generateSigningKey / importSigningKey) or a KeyResolver.',
    );
  }
  for (const name of ['issuer', 'audience'] as const) {
    const value = options[name];
    const list = typeof value === 'string' ? [value] : value;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((item) => typeof item === 'string' && item !== '')
    ) {
      invalidOption(
        `${name} is required: the ${name === 'issuer' ? 'iss' : 'aud'} value(s) your tokens carry.`,
      );
    }
  }
}

/**
 * Makes an access-token verifier.
 *
 * @example
 * const verifier = createTokenVerifier({ keys: [key], issuer: 'https://auth.example', audience: 'api' });
 * const { payload } = await verifier.verify(token);
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  validateOptions(options);
  const resolver = isResolver(options.keys) ? options.keys : staticResolver(options.keys);
  const now = options.now ?? Date.now;
  const tolerance = options.clockTolerance ?? 5;
  const maxLength = options.maxTokenLength ?? 8192;
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = cacheSize > 0 ? new VerifiedTokenCache(cacheSize) : undefined;
  const claims = {
    issuer: options.issuer as string | string[],
    audience: options.audience as string | string[],
    requiredClaims: [...(options.requiredClaims ?? ['iss', 'aud', 'exp'])],
    clockTolerance: tolerance,
  };

  // Options built once, not per token: spreading them per call cost more than the rest of our path
  // (bench "token seen for the first time"). jose gets every algorithm we sign with; the key found by
  // `kid` then fixes the one this token may use (keyOf below).
  const signedOptions = {
    ...claims,
    algorithms: [...signingAlgorithms],
  };
  const optionsNow = () =>
    options.now === undefined ? signedOptions : { ...signedOptions, currentDate: new Date(now()) };

  function keyFound(header: Record<string, unknown>, key: SigningKey | undefined): KeyLike {
    if (key === undefined) fail('ERR_AUTH_KEY_NOT_FOUND', 'The token names no known key.');
    // The key's algorithm, never the token's: an HS256 token against an RSA key fails here.
    if (header.alg !== key.alg) {
      fail('ERR_AUTH_ALGORITHM_REJECTED', "The token's algorithm is not the key's algorithm.");
    }
    return key.publicKey;
  }

  // jose's key callback: it hands us the header it parsed (so we never decode it twice) before it
  // checks the signature, and refuses an algorithm outside `signedOptions.algorithms` before that.
  function keyOf(protectedHeader: object): KeyLike | Promise<KeyLike> {
    const header = protectedHeader as Record<string, unknown>;
    const found = resolver.resolve(checkHeader(header));
    return found instanceof Promise ? found.then((key) => keyFound(header, key)) : keyFound(header, found);
  }

  function signedWith(
    token: string,
    header: Record<string, unknown>,
    key: KeyLike,
  ): VerifiedToken | undefined {
    const secret = hs256SecretOf(key);
    const verifies = secret === undefined ? undefined : hs256Verifies(token, secret);
    if (verifies === undefined) return undefined;
    if (!verifies) fail('ERR_AUTH_TOKEN_SIGNATURE', 'The token signature does not verify.');
    // jose's claim checks, the very validateClaimsSet jwtVerify runs: UnsecuredJWT.decode is its only
    // public door to them, so the verified payload segment is handed over under an unsecured header.
    const payload = token.slice(token.indexOf('.') + 1, token.lastIndexOf('.'));
    return { payload: UnsecuredJWT.decode(`${unsecuredHeader}.${payload}.`, optionsNow()).payload, header };
  }

  /**
   * An HS256 JWS verified without WebCrypto's thread-pool round trip (hmac-signature.ts), in jose's
   * order: jose's header parse, then our key checks (keyOf: refused headers, kid, the key's own
   * algorithm), then the signature, then jose's claim checks. Undefined — jose judges the token — for a
   * header jose cannot parse or with `crit`/`b64` (its extension rules), a key jose would have to
   * convert, or a signing input that is not ASCII.
   */
  function verifyHs256(token: string): VerifiedToken | Promise<VerifiedToken | undefined> | undefined {
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (header.alg !== 'HS256' || 'crit' in header || 'b64' in header) return undefined;
    const key = keyOf(header);
    return key instanceof Promise
      ? key.then((found) => signedWith(token, header, found))
      : signedWith(token, header, key);
  }

  async function verifyEncrypted(token: string, header: Record<string, unknown>) {
    const decryption = options.decryption;
    if (decryption === undefined) fail('ERR_AUTH_JWE_REJECTED', 'Encrypted tokens are not accepted here.');
    if (typeof header.alg === 'string' && header.alg.startsWith('PBES2') && decryption.allowPbes2 !== true) {
      fail('ERR_AUTH_JWE_REJECTED', 'PBES2 encrypted tokens are refused (enable decryption.allowPbes2).');
    }
    if ('zip' in header && decryption.allowCompressed !== true) {
      fail(
        'ERR_AUTH_JWE_REJECTED',
        'Compressed encrypted tokens are refused (enable decryption.allowCompressed).',
      );
    }
    const algorithms = [
      ...(decryption.keyManagementAlgorithms ?? ['dir', 'A256KW', 'RSA-OAEP-256', 'ECDH-ES']),
    ];
    if (decryption.allowPbes2 === true) algorithms.push('PBES2-HS256+A128KW', 'PBES2-HS512+A256KW');
    return jwtDecrypt(token, decryption.key, {
      ...claims,
      keyManagementAlgorithms: algorithms,
      maxPBES2Count: 10_000,
      maxDecompressedLength: decryption.allowCompressed === true ? 250_000 : 0,
      currentDate: new Date(now()),
    });
  }

  async function verifyFresh(token: string): Promise<VerifiedToken> {
    const segments = segmentsOf(token);
    try {
      // Not awaited unless the key was: an await costs a microtask turn on every first-seen token.
      const fast = segments === 3 ? verifyHs256(token) : undefined;
      const verified = fast instanceof Promise ? await fast : fast;
      if (verified !== undefined) return verified;
      const result =
        segments === 3
          ? await jwtVerify(token, keyOf, optionsNow())
          : await verifyEncrypted(token, checkedHeader(token));
      return { payload: result.payload, header: result.protectedHeader as Record<string, unknown> };
    } catch (error) {
      translate(error);
    }
  }

  async function checkRevoked(payload: JWTPayload, cacheKey: string | undefined): Promise<void> {
    if (options.isRevoked === undefined) return;
    if (await options.isRevoked(payload)) {
      if (cacheKey !== undefined) cache?.delete(cacheKey);
      fail('ERR_AUTH_TOKEN_REVOKED', 'The token has been revoked.');
    }
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '') fail('ERR_AUTH_TOKEN_MALFORMED', 'The token is empty.');
      if (token.length > maxLength)
        fail('ERR_AUTH_TOKEN_TOO_LARGE', `The token is longer than ${maxLength} characters.`);
      const cacheKey = cache === undefined ? undefined : VerifiedTokenCache.keyOf(token);
      if (cache !== undefined && cacheKey !== undefined) {
        const hit = cache.get(cacheKey, now());
        if (hit !== undefined && resolver.has(hit.kid)) {
          if (options.isRevoked !== undefined) await checkRevoked(hit.payload, cacheKey);
          return hit;
        }
      }
      const verified = await verifyFresh(token);
      if (options.isRevoked !== undefined) await checkRevoked(verified.payload, undefined);
      // Kept from its second verification on (see VerifiedTokenCache): a token seen once leaves no entry.
      if (cache === undefined || cacheKey === undefined || !cache.admits(cacheKey)) return verified;
      const exp = verified.payload.exp;
      const entry = {
        payload: verified.payload,
        header: verified.header,
        kid: verified.header.kid as string | undefined,
        deadline: typeof exp === 'number' ? (exp + tolerance) * 1000 : Number.POSITIVE_INFINITY,
      };
      cache.set(cacheKey, entry);
      return entry;
    },
    clearCache() {
      cache?.clear();
    },
  };
}
