// The app's credentials, all from @plinth/auth: scrypt passwords, HS256 access tokens (jose) signed with
// JWT_SECRET, opaque refresh tokens rotated on every use in a TokenStore (memory, or Redis), and signed
// session cookies for the browser. The cookie and cursor keys are derived from the same secret.
import { createHmac, randomBytes } from 'node:crypto';
import {
  createPasswordHasher,
  createRefreshTokens,
  createSessions,
  createTokenSigner,
  createTokenVerifier,
  importSigningKey,
  memoryTokenStore,
  type PasswordHasher,
  type RefreshTokens,
  type Sessions,
  type TokenSigner,
  type TokenStore,
  type TokenVerifier,
} from '@plinth/auth';
import { type CursorCodec, createCursorCodec } from '@plinth/db';

/** The `iss` and `aud` of our access tokens: this app issues them for itself. */
const issuer = 'plinth-reference';

/** Options of {@link createAuthKit}; every one has a default fit for tests and development. */
export interface AuthKitOptions {
  /** JWT_SECRET (≥ 32 bytes). Absent: a random one, so tokens die with the process (development only). */
  secret?: string | undefined;
  /** Access-token lifetime, ms (default 15 min). */
  accessTokenTtl?: number;
  /** Refresh-token lifetime, ms (default 30 days). */
  refreshTokenTtl?: number;
  /** Session-cookie lifetime, ms (default 24 h). */
  sessionTtl?: number;
  /** Where refresh tokens live (default a memory store: one process). */
  tokenStore?: TokenStore;
  /** Secure cookies with the __Host- prefix (default true; false for http:// development). */
  cookieSecure?: boolean;
  /** scrypt log2 N (default 17, OWASP); tests lower it. */
  passwordCost?: number;
}

/** What the routes and the live seam use to prove and check who a caller is. */
export interface AuthKit {
  readonly signer: TokenSigner;
  readonly verifier: TokenVerifier;
  readonly refreshTokens: RefreshTokens;
  readonly sessions: Sessions;
  readonly passwords: PasswordHasher;
  /** Signs the keyset cursors of task lists, so a client cannot edit one. */
  readonly cursors: CursorCodec;
  /** Access-token lifetime, seconds (the `expiresIn` of a login answer). */
  readonly expiresIn: number;
  /** Whether the secret was generated at start (then main.ts warns). */
  readonly ephemeral: boolean;
  /** The user id of a valid access token, or undefined: the `authenticate` of the live seam. */
  authenticateToken(token: string): Promise<{ userId: string } | undefined>;
  close(): Promise<void>;
}

const derive = (secret: string, purpose: string) =>
  createHmac('sha256', secret).update(`plinth-reference:${purpose}`).digest('base64url');

/** Makes the app's credentials from JWT_SECRET (or a random secret when none is given). */
export async function createAuthKit(options: AuthKitOptions = {}): Promise<AuthKit> {
  const ephemeral = options.secret === undefined;
  const secret = options.secret ?? randomBytes(48).toString('base64url');
  const key = await importSigningKey({ kid: 'reference-hs256', alg: 'HS256', secret });
  const expiresIn = Math.round((options.accessTokenTtl ?? 15 * 60_000) / 1000);
  const secure = options.cookieSecure ?? true;
  const tokenStore = options.tokenStore ?? memoryTokenStore();
  const verifier = createTokenVerifier({ keys: [key], issuer, audience: issuer });
  return {
    signer: createTokenSigner({ keys: [key], issuer, audience: issuer, expiresIn }),
    verifier,
    refreshTokens: createRefreshTokens({
      store: tokenStore,
      ttl: Math.round((options.refreshTokenTtl ?? 30 * 86_400_000) / 1000),
    }),
    sessions: createSessions({
      secrets: [derive(secret, 'session')],
      ttl: Math.round((options.sessionTtl ?? 86_400_000) / 1000),
      // The __Host- prefix pins Secure, Path=/ and no Domain; plain http:// development needs another name.
      name: secure ? '__Host-session' : 'session',
      cookie: { secure },
    }),
    passwords: createPasswordHasher(options.passwordCost === undefined ? {} : { cost: options.passwordCost }),
    cursors: createCursorCodec(derive(secret, 'cursor')),
    expiresIn,
    ephemeral,
    async authenticateToken(token) {
      try {
        const { payload } = await verifier.verify(token);
        return typeof payload.sub === 'string' ? { userId: payload.sub } : undefined;
      } catch {
        return undefined;
      }
    },
    close: () => tokenStore.close(),
  };
}
