// Where a verifier finds the key for a token's `kid`: a fixed set of our own keys, or a remote JWKS.
import type { SigningKey } from './keys.js';

/** Finds the key a token names. `has` answers synchronously for the verified-token cache. */
export interface KeyResolver {
  /** The key for `kid` (a token without `kid` gets the only key of a one-key set), or undefined. */
  resolve(kid: string | undefined): SigningKey | undefined | Promise<SigningKey | undefined>;
  /** Whether `kid` is still a current key (a rotated-out key ends its cached tokens). */
  has(kid: string | undefined): boolean;
}

/** Internal: a resolver over a fixed list of keys. */
export function staticResolver(keys: readonly SigningKey[]): KeyResolver {
  // A Map, never an object lookup: a kid of "__proto__" or "../../etc/passwd" is only an unknown key.
  const byKid = new Map(keys.map((key) => [key.kid, key]));
  const only = keys.length === 1 ? keys[0] : undefined;
  return {
    resolve: (kid) => (kid === undefined ? only : byKid.get(kid)),
    has: (kid) => (kid === undefined ? only !== undefined : byKid.has(kid)),
  };
}

/** Internal: tells a resolver from a key list. */
export function isResolver(value: unknown): value is KeyResolver {
  return typeof (value as KeyResolver | undefined)?.resolve === 'function';
}
