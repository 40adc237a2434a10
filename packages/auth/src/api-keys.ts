// API keys: `<prefix>_<id>_<secret>`, random, prefixed so a leaked key is recognisable (secret scanners,
// logs), stored only as a SHA-256 of the secret, looked up by the public id and compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalidOption } from './errors.js';
import type { Principal } from './principal.js';

/** What your storage keeps per key: the hash from `issue()` and whom the key authenticates. */
export interface StoredApiKey {
  /** `sha256:<base64url>` as `issue()` returned it. */
  readonly hash: string;
  /** The principal this key authenticates as (its `via` is set to 'api-key'). */
  readonly principal: Omit<Principal, 'via'>;
}

/** Options of `createApiKeys`. */
export interface ApiKeysOptions {
  /** Identifies your keys, e.g. `acme_live`: letters, digits and `_`, 2-16 characters. */
  prefix: string;
  /** Finds a stored key by its public id (your database lookup). */
  find(id: string): StoredApiKey | undefined | Promise<StoredApiKey | undefined>;
}

/** A freshly issued key: give `key` to the user once, store `id` and `hash`. */
export interface IssuedApiKey {
  readonly key: string;
  readonly id: string;
  readonly hash: string;
}

/** Issues and verifies API keys. */
export interface ApiKeys {
  issue(): IssuedApiKey;
  /** The principal of `key`, or undefined; plugs into `authenticate({ apiKey: { verify } })`. */
  verify(key: string): Promise<Principal | undefined>;
}

const idLength = 16; // 8 random bytes, hex
const hashOf = (secret: string) => createHash('sha256').update(secret).digest();
const encode = (digest: Buffer) => `sha256:${digest.toString('base64url')}`;
// Compared against when the id is unknown, so both paths hash and compare.
const dummyDigest = hashOf('plinth-auth-unknown-api-key');

function decodeStored(hash: string): Buffer | undefined {
  if (!hash.startsWith('sha256:')) return undefined;
  const digest = Buffer.from(hash.slice(7), 'base64url');
  return digest.byteLength === 32 ? digest : undefined;
}

/**
 * Makes an API-key issuer and verifier.
 *
 * @example
 * const apiKeys = createApiKeys({ prefix: 'acme_live', find: (id) => db.apiKeys.byId(id) });
 * const { key, id, hash } = apiKeys.issue();
 */
export function createApiKeys(options: ApiKeysOptions): ApiKeys {
  if (typeof options.prefix !== 'string' || !/^[A-Za-z0-9_]{2,16}$/.test(options.prefix)) {
    invalidOption('prefix must be 2-16 letters, digits or "_", e.g. "acme_live".');
  }
  if (typeof options.find !== 'function')
    invalidOption('find(id) is required: it looks a stored key up by its id.');
  const head = `${options.prefix}_`;
  return {
    issue() {
      const id = randomBytes(idLength / 2).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      return { key: `${head}${id}_${secret}`, id, hash: encode(hashOf(secret)) };
    },
    async verify(key) {
      if (typeof key !== 'string' || key.length > 200 || !key.startsWith(head)) return undefined;
      const id = key.slice(head.length, head.length + idLength);
      const secret = key.slice(head.length + idLength + 1);
      if (!/^[0-9a-f]{16}$/.test(id) || key[head.length + idLength] !== '_' || secret === '')
        return undefined;
      const stored = await options.find(id);
      const expected = (stored && decodeStored(stored.hash)) ?? dummyDigest;
      const matches = timingSafeEqual(hashOf(secret), expected);
      return matches && stored !== undefined ? { ...stored.principal, via: 'api-key' } : undefined;
    },
  };
}
