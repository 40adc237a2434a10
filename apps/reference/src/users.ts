// The users of the reference API, stored in the database through drizzle: PGlite by default,
// PostgreSQL when DATABASE_URL is set (src/database.ts).
import { ConstraintViolationError, type Database } from '@plinth/db';
import { ConflictError } from '@plinth/observability';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type * as schema from './schema.js';
import { users } from './schema.js';

/** A user as the API returns it. */
export interface User {
  id: string;
  name: string;
  email: string;
  createdAt: string;
}

/** What a client sends to create a user. */
export const newUserSchema = z.object({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254),
});

/** The fields a new user is made of. */
export type NewUser = Pick<User, 'name' | 'email'>;

/** The database the store works on: the app's schema, on PGlite or PostgreSQL. */
export type AppDatabase = Database<typeof schema>;

/** The store the app reads and writes. */
export interface UserStore {
  /** Every user, oldest first. */
  list(): Promise<User[]>;
  /** The user with this id, or undefined (also for an id that is not a number). */
  get(id: string): Promise<User | undefined>;
  /** Stores a new user; a taken email (in any case) fails with a 409 ConflictError. */
  create(input: NewUser): Promise<User>;
}

// users.id is a PostgreSQL integer: a path id outside its range names no user rather than failing the query.
const maxId = 2 ** 31 - 1;

function toUser(row: typeof users.$inferSelect): User {
  return { id: String(row.id), name: row.name, email: row.email, createdAt: row.createdAt.toISOString() };
}

/** A user store on `db`, whose migrations have run. */
export function createUserStore(db: AppDatabase): UserStore {
  return {
    async list() {
      const rows = await db.select().from(users).orderBy(asc(users.id));
      return rows.map(toUser);
    },
    async get(id) {
      const numeric = /^\d{1,10}$/.test(id) ? Number(id) : Number.NaN;
      if (!(numeric >= 1 && numeric <= maxId)) return undefined;
      const [row] = await db.select().from(users).where(eq(users.id, numeric));
      return row && toUser(row);
    },
    async create(input) {
      try {
        const [row] = await db.insert(users).values(input).returning();
        return toUser(row!);
      } catch (error) {
        // The unique index on lower(email) decides, so two requests racing for one email cannot both win.
        if (error instanceof ConstraintViolationError && error.kind === 'unique') {
          throw new ConflictError(`A user with email "${input.email}" exists already.`, {
            code: 'EMAIL_TAKEN',
            cause: error,
          });
        }
        throw error;
      }
    },
  };
}
