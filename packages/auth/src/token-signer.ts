// Access-token signing on jose: the current key (the first of `keys`) signs with its own algorithm and
// names itself in `kid`, so a verifier holding old and new keys follows a rotation without a restart.
import { randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { invalidOption } from './errors.js';
import type { SigningKey } from './keys.js';

/** Options of `createTokenSigner`. */
export interface TokenSignerOptions {
  /** The signing keys, current first; only the first signs. */
  keys: readonly SigningKey[];
  /** The `iss` of every token. */
  issuer: string;
  /** The `aud` of every token. */
  audience: string | readonly string[];
  /** Lifetime in seconds. Default 900 (15 minutes). */
  expiresIn?: number;
  /** The clock, ms since epoch (tests). */
  now?: () => number;
}

/** Signs access tokens. */
export interface TokenSigner {
  /** A signed JWT with `iss`, `aud`, `iat`, `exp`, a random `jti`, and `claims` (`sub` at least). */
  sign(claims: JWTPayload & { sub: string }, options?: { expiresIn?: number }): Promise<string>;
}

/**
 * Makes an access-token signer.
 *
 * @example
 * const signer = createTokenSigner({ keys: [key], issuer: 'https://auth.example', audience: 'api' });
 * const token = await signer.sign({ sub: user.id, roles: ['editor'] });
 */
export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  const key = options.keys[0];
  if (key === undefined || key.privateKey === undefined) {
    invalidOption(
      'keys[0] must be a key with a private part (generateSigningKey or importSigningKey with privatePem/secret).',
    );
  }
  if (typeof options.issuer !== 'string' || options.issuer === '')
    invalidOption('issuer is required: the iss of your tokens.');
  const expiresIn = options.expiresIn ?? 900;
  if (!Number.isInteger(expiresIn) || expiresIn <= 0)
    invalidOption('expiresIn must be a whole number of seconds > 0.');
  const now = options.now ?? Date.now;
  const privateKey = key.privateKey;
  return {
    async sign(claims, signOptions = {}) {
      if (typeof claims?.sub !== 'string' || claims.sub === '')
        invalidOption('claims.sub must be a non-empty string.');
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience as string | string[])
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + (signOptions.expiresIn ?? expiresIn))
        .setJti(claims.jti ?? randomUUID())
        .sign(privateKey);
    },
  };
}
