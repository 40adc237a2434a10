// Who may use the API: users with scrypt password hashes, and the access tokens (HS256 JWTs) they get
// at POST /login, both from @plinth/auth.
import {
  createPasswordHasher,
  createTokenSigner,
  createTokenVerifier,
  importSigningKey,
  type PasswordHasher,
  type TokenSigner,
  type TokenVerifier,
} from '@plinth/auth';
import { UnauthorizedError } from '@plinth/observability';

export interface Accounts {
  signer: TokenSigner;
  verifier: TokenVerifier;
  /** Checks a user's password; answers an access token, or throws a 401. */
  login(username: string, password: string): Promise<{ accessToken: string; expiresIn: number }>;
}

export interface AccountsOptions {
  /** The HS256 secret the tokens are signed with: at least 32 bytes. */
  secret: string;
  /** Users by name, each with a password hash made by `hashPassword`. */
  users: ReadonlyMap<string, string>;
  /** Access token lifetime, seconds. */
  expiresIn?: number;
}

const passwords: PasswordHasher = createPasswordHasher();

/** A password hash to keep in the users map (scrypt, OWASP parameters). */
export const hashPassword = (password: string): Promise<string> => passwords.hash(password);

export async function createAccounts(options: AccountsOptions): Promise<Accounts> {
  const { users, expiresIn = 900 } = options;
  const key = await importSigningKey({ kid: 'notes-1', alg: 'HS256', secret: options.secret });
  const claims = { issuer: 'notes-example', audience: 'notes-api' };
  const signer = createTokenSigner({ keys: [key], ...claims, expiresIn });
  const verifier = createTokenVerifier({ keys: [key], ...claims });
  return {
    signer,
    verifier,
    async login(username, password) {
      // An unknown user costs a dummy hash too, so timing does not tell which names exist.
      const { valid } = await passwords.verify(password, users.get(username));
      if (!valid) throw new UnauthorizedError('The username or password is wrong.');
      return { accessToken: await signer.sign({ sub: username }), expiresIn };
    },
  };
}
