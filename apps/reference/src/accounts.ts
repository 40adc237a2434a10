// Accounts: sign-up, login with a password, refresh-token rotation and logout. Passwords are scrypt
// PHC strings (rehashed on login when the parameters change); tokens come from the AuthKit.
import { asc, eq, sql } from 'drizzle-orm';
import type { AuthKit } from './auth.js';
import { EmailTaken, InvalidCredentials, isUniqueViolation } from './errors.js';
import { memberships, type TeamRole, teams, users } from './schema.js';
import type { AppTransactions } from './services.js';

export interface AccountUser {
  id: string;
  email: string;
  name: string;
}

/** What a sign-up or login answers: the user and a fresh token pair. */
export interface Session {
  user: AccountUser;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface AccountService {
  signUp(input: { email: string; password: string; name: string }): Promise<Session>;
  /** Throws InvalidCredentials for an unknown email or a wrong password alike (same time spent). */
  logIn(input: { email: string; password: string }): Promise<Session>;
  /** Rotates a refresh token; a reused one revokes its family (REFRESH_TOKEN_REUSED, 401). */
  refresh(refreshToken: string): Promise<Omit<Session, 'user'>>;
  logOut(refreshToken: string): Promise<void>;
  /** A user and their teams with roles, or undefined. */
  me(
    userId: string,
  ): Promise<(AccountUser & { teams: { id: string; name: string; role: TeamRole }[] }) | undefined>;
  /** Finds the user with this email, or creates one without a password (OpenID Connect logins). */
  findOrCreate(input: { email: string; name: string }): Promise<AccountUser>;
  /** A token pair for a user who proved who they are (a password, an OIDC login). */
  issue(user: AccountUser): Promise<Session>;
}

const byEmail = (email: string) => eq(sql`lower(${users.email})`, email.toLowerCase());
const publicUser = ({ id, email, name }: AccountUser): AccountUser => ({ id, email, name });

export function createAccountService(transactions: AppTransactions, auth: AuthKit): AccountService {
  const db = () => transactions.db();

  async function issue(user: AccountUser): Promise<Session> {
    const accessToken = await auth.signer.sign({ sub: user.id });
    const { token } = await auth.refreshTokens.issue(user.id);
    return { user: publicUser(user), accessToken, refreshToken: token, expiresIn: auth.expiresIn };
  }

  /** Inserts a user in a transaction of its own; the unique index on lower(email) decides races. */
  async function insertUser(values: typeof users.$inferInsert): Promise<AccountUser> {
    try {
      const [row] = await transactions.transactional(() => db().insert(users).values(values).returning());
      return publicUser(row!);
    } catch (error) {
      // Translated outside the transaction: @plinth/db re-translates an error leaving a transaction
      // whose cause chain holds a SQLSTATE, which would turn this one back into UNIQUE_VIOLATION.
      if (isUniqueViolation(error)) {
        throw new EmailTaken('EMAIL_TAKEN', `A user with email "${values.email}" exists already.`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  return {
    issue,
    async signUp({ email, password, name }) {
      const passwordHash = await auth.passwords.hash(password);
      const user = await insertUser({ email, name, passwordHash });
      return issue(user);
    },
    async logIn({ email, password }) {
      const [row] = await db().select().from(users).where(byEmail(email));
      // Without a user (or a password) a dummy hash is verified: an unknown email costs the same time.
      const { valid, rehash } = await auth.passwords.verify(password, row?.passwordHash ?? undefined);
      if (!row || !valid)
        throw new InvalidCredentials('INVALID_CREDENTIALS', 'The email or password is wrong.');
      if (rehash) {
        await transactions.transactional(() =>
          db().update(users).set({ passwordHash: rehash }).where(eq(users.id, row.id)),
        );
      }
      return issue(row);
    },
    async refresh(refreshToken) {
      const next = await auth.refreshTokens.rotate(refreshToken);
      const accessToken = await auth.signer.sign({ sub: next.userId });
      return { accessToken, refreshToken: next.token, expiresIn: auth.expiresIn };
    },
    logOut: (refreshToken) => auth.refreshTokens.revoke(refreshToken),
    async me(userId) {
      const [user] = await db().select().from(users).where(eq(users.id, userId));
      if (!user) return undefined;
      const rows = await db()
        .select({ id: teams.id, name: teams.name, role: memberships.role })
        .from(memberships)
        .innerJoin(teams, eq(teams.id, memberships.teamId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(teams.createdAt), asc(teams.id));
      return { ...publicUser(user), teams: rows };
    },
    async findOrCreate({ email, name }) {
      const [row] = await db().select().from(users).where(byEmail(email));
      return row ? publicUser(row) : insertUser({ email, name });
    },
  };
}
