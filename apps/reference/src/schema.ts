// The task tracker's tables, in drizzle's schema language: drizzle-kit generates the SQL migrations in
// ./drizzle from this file (`pnpm --filter @plinth/reference db:generate`), @plinth/db applies them on start.
// The outbox table (@plinth/services) is created by a migration of its own (drizzle/0002_outbox.sql).
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// Millisecond precision, as a JS Date holds: a keyset cursor carries the created_at it read back, and
// microseconds lost on the way would make the row compare after itself and show up twice.
const timestampMs = (name: string) =>
  timestamp(name, { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();
const createdAt = () => timestampMs('created_at');

/** The people who use the tracker. An email is unique whatever its case: `Ada@x` and `ada@x` are one user. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    /** A scrypt PHC string; null for users who only ever logged in through OpenID Connect. */
    passwordHash: text('password_hash'),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('users_email_unique').on(sql`lower(${table.email})`)],
);

export const teams = pgTable('teams', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/** The roles a user holds in a team. */
export const teamRoles = ['owner', 'member', 'viewer'] as const;
export type TeamRole = (typeof teamRoles)[number];

/** Who belongs to which team, and as what. */
export const memberships = pgTable(
  'memberships',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: teamRoles }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.teamId, table.userId] }),
    index('memberships_user').on(table.userId),
    check('memberships_role', sql`${table.role} in ('owner', 'member', 'viewer')`),
  ],
);

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('projects_team').on(table.teamId, table.createdAt, table.id)],
);

/** The states a task moves through; `done` is closing it. */
export const taskStatuses = ['open', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: taskStatuses }).notNull().default('open'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestampMs('updated_at'),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    // Keyset pages of a team's tasks walk this index: (created_at, id) after the team.
    index('tasks_team_created').on(table.teamId, table.createdAt, table.id),
    index('tasks_assignee').on(table.assigneeId),
    check('tasks_status', sql`${table.status} in ('open', 'in_progress', 'done')`),
  ],
);

export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('comments_task').on(table.taskId, table.createdAt, table.id)],
);
