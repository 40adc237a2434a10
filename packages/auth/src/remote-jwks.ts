// A remote JWKS (an identity provider's `jwks_uri`) as a KeyResolver: cached, refetched when stale, and
// refetched on an unknown `kid` at most once per cooldown, so a flood of bogus kids cannot flood the provider.
import { importJWK, type JWK } from 'jose';
import { AuthError, invalidOption } from './errors.js';
import type { KeyResolver } from './key-resolver.js';
import { algorithmOfJwk, type KeyLike, type SigningAlgorithm, type SigningKey } from './keys.js';

/** Options of `createRemoteJwks`. */
export interface RemoteJwksOptions {
  /** How long a fetched set is fresh, ms. Default 600000 (10 minutes). */
  cacheMaxAge?: number;
  /** The least time between two fetches, ms, whatever the reason. Default 30000. */
  cooldown?: number;
  /** Abort a fetch after this long, ms. Default 5000. */
  timeout?: number;
  /** The algorithm of RSA keys that publish no `alg`. Default 'RS256'. */
  rsaAlgorithm?: SigningAlgorithm;
  /** The fetch to use (tests, proxies). Default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** The clock, ms since epoch (tests). */
  now?: () => number;
}

/** A remote key set; `fetches` counts the requests made (observability, tests). */
export interface RemoteJwks extends KeyResolver {
  readonly fetches: number;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    invalidOption(`The JWKS URL ${JSON.stringify(String(url))} is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback.has(parsed.hostname))) {
    invalidOption('The JWKS URL must be https: (http: only on a loopback host for tests).');
  }
  return parsed;
}

async function importSet(body: unknown, rsaAlgorithm: SigningAlgorithm): Promise<Map<string, SigningKey>> {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new TypeError('the document has no "keys" array');
  const result = new Map<string, SigningKey>();
  for (const jwk of keys as JWK[]) {
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.kid !== 'string') continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const alg = algorithmOfJwk(jwk, rsaAlgorithm);
    if (alg === undefined || alg === 'HS256' || typeof jwk.d === 'string' || jwk.kty === 'oct') continue;
    try {
      const publicKey = (await importJWK({ ...jwk, alg }, alg)) as KeyLike;
      result.set(jwk.kid, { kid: jwk.kid, alg, publicKey, publicJwk: jwk });
    } catch {
      // A key we cannot import is skipped, like one of another algorithm.
    }
  }
  return result;
}

/**
 * A remote JWKS resolver for `createTokenVerifier({ keys })`.
 *
 * @example
 * const verifier = createTokenVerifier({ keys: createRemoteJwks('https://idp.example/jwks'), issuer, audience });
 */
export function createRemoteJwks(url: string | URL, options: RemoteJwksOptions = {}): RemoteJwks {
  const target = checkUrl(url);
  const maxAge = options.cacheMaxAge ?? 600_000;
  const cooldown = options.cooldown ?? 30_000;
  const timeout = options.timeout ?? 5_000;
  const rsaAlgorithm = options.rsaAlgorithm ?? 'RS256';
  const fetcher = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  let keys = new Map<string, SigningKey>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let fetches = 0;

  async function load(): Promise<void> {
    attemptedAt = now();
    fetches += 1;
    try {
      const response = await fetcher(target, { signal: AbortSignal.timeout(timeout), redirect: 'error' });
      if (!response.ok) throw new TypeError(`status ${response.status}`);
      keys = await importSet(await response.json(), rsaAlgorithm);
      fetchedAt = now();
    } catch (error) {
      // Stale keys keep working; with none at all the verification cannot proceed.
      if (keys.size === 0) {
        throw new AuthError(
          'ERR_AUTH_JWKS_UNAVAILABLE',
          `The JWKS at ${target.origin} could not be fetched.`,
          {
            cause: error,
            status: 503,
          },
        );
      }
    }
  }

  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    get fetches() {
      return fetches;
    },
    async resolve(kid) {
      const stale = now() - fetchedAt > maxAge;
      const unknown = kid === undefined ? keys.size !== 1 : !keys.has(kid);
      if ((stale || unknown) && now() - attemptedAt >= cooldown) await refresh();
      else if (inFlight) await inFlight;
      if (kid === undefined) return keys.size === 1 ? keys.values().next().value : undefined;
      return keys.get(kid);
    },
    has: (kid) => (kid === undefined ? keys.size === 1 : keys.has(kid)),
  };
}
