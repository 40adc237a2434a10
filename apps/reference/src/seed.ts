// The demo data a fresh database starts with, so the board and the docs have something to show: three
// users (owner, member, viewer) in "Demo team", a project "Launch" and a handful of tasks.
import type { PasswordHasher } from '@plinth/auth';
import { ConstraintViolationError } from '@plinth/db';
import { count } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { memberships, projects, type TaskStatus, type TeamRole, tasks, teams, users } from './schema.js';

/** The password of every demo user. */
export const demoPassword = 'plinth-demo';

/** The demo users, one per team role. */
export const demoUsers: ReadonlyArray<{ email: string; name: string; role: TeamRole }> = [
  { email: 'owner@example.com', name: 'Olivia Owner', role: 'owner' },
  { email: 'member@example.com', name: 'Max Member', role: 'member' },
  { email: 'viewer@example.com', name: 'Vera Viewer', role: 'viewer' },
];

const demoTasks: ReadonlyArray<{ title: string; status: TaskStatus; assignee?: TeamRole }> = [
  { title: 'Write the launch announcement', status: 'in_progress', assignee: 'member' },
  { title: 'Fix the sign-up form on mobile', status: 'open', assignee: 'member' },
  { title: 'Book the launch party venue', status: 'open', assignee: 'owner' },
  { title: 'Review the API docs', status: 'open' },
  { title: 'Pick a name', status: 'done', assignee: 'owner' },
];

/**
 * Seeds the demo data when the users table is empty, in one transaction. Answers whether it did: a
 * second instance racing on a fresh database loses on the unique email index and seeds nothing.
 */
export async function seedDemoData(db: AppDatabase, passwords: PasswordHasher): Promise<boolean> {
  const [existing] = await db.select({ users: count() }).from(users);
  if ((existing?.users ?? 0) > 0) return false;
  // One hash for the three: they share the password, and scrypt at full cost takes a while on a first start.
  const passwordHash = await passwords.hash(demoPassword);
  try {
    await db.transaction(async (tx) => {
      const created = await tx
        .insert(users)
        .values(
          demoUsers.map((user) => ({
            email: user.email,
            name: user.name,
            passwordHash,
          })),
        )
        .returning();
      const idOf = (role: TeamRole) => created[demoUsers.findIndex((user) => user.role === role)]!.id;
      const [team] = await tx.insert(teams).values({ name: 'Demo team' }).returning();
      await tx
        .insert(memberships)
        .values(demoUsers.map((user) => ({ teamId: team!.id, userId: idOf(user.role), role: user.role })));
      const [project] = await tx.insert(projects).values({ teamId: team!.id, name: 'Launch' }).returning();
      // now() is the transaction's start: spaced created_at values keep the board's order the list's.
      const start = Date.now();
      for (const [index, task] of demoTasks.entries()) {
        await tx.insert(tasks).values({
          createdAt: new Date(start + index),
          updatedAt: new Date(start + index),
          teamId: team!.id,
          projectId: project!.id,
          title: task.title,
          status: task.status,
          assigneeId: task.assignee ? idOf(task.assignee) : null,
          createdBy: idOf('owner'),
        });
      }
    });
    return true;
  } catch (error) {
    if (error instanceof ConstraintViolationError && error.kind === 'unique') return false;
    throw error;
  }
}
