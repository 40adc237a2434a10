// Password hashing with node:crypto scrypt in a PHC string (`$scrypt$ln=17,r=8,p=1$salt$hash`): each hash
// carries its own parameters, so raising the cost later rehashes users as they log in.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AuthError, invalidOption } from './errors.js';

/** scrypt parameters and input limits of `createPasswordHasher`. */
export interface PasswordHasherOptions {
  /** log2 of scrypt's N (CPU/memory cost). Default 17 (OWASP: N = 2^17, r = 8, p = 1). */
  cost?: number;
  /** scrypt's r. Default 8. */
  blockSize?: number;
  /** scrypt's p. Default 1. */
  parallelization?: number;
  /** Longest password accepted, in UTF-8 bytes (hashing is expensive: bound it). Default 1024. */
  maxLength?: number;
}

/** The outcome of `verify`: `rehash` is a fresh hash to store when the parameters changed. */
export interface PasswordVerification {
  readonly valid: boolean;
  readonly rehash?: string | undefined;
}

/** Hashes and verifies passwords. */
export interface PasswordHasher {
  /** A PHC string for `password`; throws ERR_AUTH_PASSWORD_TOO_LONG past `maxLength`. */
  hash(password: string): Promise<string>;
  /**
   * Compares in constant time. Pass `undefined` as `stored` for an unknown user: a dummy hash runs so
   * the answer takes as long as for a real one (no user enumeration by timing).
   */
  verify(password: string, stored: string | undefined): Promise<PasswordVerification>;
  /** Whether `stored` was made with other parameters than the current ones. */
  needsRehash(stored: string): boolean;
}

interface Parsed {
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

// PHC strings use standard base64 without padding.
const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
const phcPattern =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

function parse(stored: string): Parsed {
  const match = phcPattern.exec(stored);
  if (match === null) {
    throw new AuthError(
      'ERR_AUTH_PASSWORD_HASH_MALFORMED',
      'The stored password hash is not a $scrypt$ PHC string made by this package.',
    );
  }
  const [, ln, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  return {
    ln: Number(ln),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
}

function derive(
  password: Buffer,
  salt: Buffer,
  ln: number,
  r: number,
  p: number,
  length: number,
): Promise<Buffer> {
  const N = 2 ** ln;
  return new Promise((resolve, reject) => {
    // scrypt needs 128·N·r bytes; node's default maxmem (32 MiB) is below OWASP's N = 2^17, r = 8.
    scrypt(password, salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Makes a password hasher.
 *
 * @example
 * const passwords = createPasswordHasher();
 * const stored = await passwords.hash(input);
 * const { valid, rehash } = await passwords.verify(input, stored);
 * if (rehash) await users.update(id, { passwordHash: rehash });
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const ln = options.cost ?? 17;
  const r = options.blockSize ?? 8;
  const p = options.parallelization ?? 1;
  const maxLength = options.maxLength ?? 1024;
  if (!Number.isInteger(ln) || ln < 10 || ln > 24)
    invalidOption('cost is log2(N): a whole number from 10 to 24 (default 17).');
  if (!Number.isInteger(r) || r < 1 || r > 32)
    invalidOption('blockSize (r) must be a whole number from 1 to 32 (default 8).');
  if (!Number.isInteger(p) || p < 1 || p > 16)
    invalidOption('parallelization (p) must be a whole number from 1 to 16 (default 1).');
  const prefix = `$scrypt$ln=${ln},r=${r},p=${p}$`;
  const bytesOf = (password: string) => Buffer.from(String(password).normalize('NFC'), 'utf8');
  let dummy: Promise<string> | undefined;

  async function hash(password: string): Promise<string> {
    const bytes = bytesOf(password);
    if (bytes.byteLength > maxLength) {
      throw new AuthError('ERR_AUTH_PASSWORD_TOO_LONG', `Passwords may be at most ${maxLength} bytes long.`, {
        status: 400,
      });
    }
    const salt = randomBytes(16);
    return `${prefix}${b64(salt)}$${b64(await derive(bytes, salt, ln, r, p, 32))}`;
  }

  async function compare(bytes: Buffer, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    const derived = await derive(bytes, parsed.salt, parsed.ln, parsed.r, parsed.p, parsed.hash.byteLength);
    // Compares every byte whatever the first difference (no early exit).
    return timingSafeEqual(derived, parsed.hash);
  }

  return {
    hash,
    needsRehash: (stored) => !stored.startsWith(prefix),
    async verify(password, stored) {
      const bytes = bytesOf(password);
      if (bytes.byteLength > maxLength) return { valid: false };
      if (stored === undefined) {
        dummy ??= hash('not a password');
        await compare(bytes, await dummy);
        return { valid: false };
      }
      const valid = await compare(bytes, stored);
      if (!valid || stored.startsWith(prefix)) return { valid };
      return { valid, rehash: await hash(password) };
    },
  };
}
