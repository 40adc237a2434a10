// The reference app's tables, in drizzle's schema language: drizzle-kit generates the SQL migrations in
// ./drizzle from this file (`pnpm --filter @plinth/reference db:generate`), @plinth/db applies them on start.
import { sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** The users of the API. An email is unique whatever its case: `Ada@x` and `ada@x` are one user. */
export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('users_email_unique').on(sql`lower(${table.email})`)],
);
