// Who may do what: the team roles as RBAC (@plinth/auth createRbac), the task rules as ABAC
// (createPolicy), and the caller's memberships turned into the policy subject. A list endpoint asks the
// policy for a filter and hands it to drizzle (toDrizzleWhere), so it never loads a row it may not show.
import { createPolicy, createRbac, definePolicy, type PolicySubject, ref } from '@plinth/auth';
import { eq } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { NotAllowed, type NotFound } from './errors.js';
import { memberships, type TeamRole } from './schema.js';

/** What each team role may do; a role inherits the permissions of the one it names. */
export const rbac = createRbac({
  viewer: { permissions: ['team:read'] },
  member: { inherits: ['viewer'], permissions: ['team:write'] },
  owner: { inherits: ['member'], permissions: ['members:manage'] },
});

/**
 * The rules on team resources. Subject attributes: `readTeams` (every team of the user),
 * `writeTeams` (member or owner) and `ownerTeams`. Closing a task (status `done`) is its own action:
 * only the assignee (who can write in the team) or an owner of the team may.
 */
export const policy = createPolicy(
  definePolicy(({ can }) => {
    can('read', ['Team', 'Project', 'Task', 'Comment'], { teamId: { $in: ref('subject.readTeams') } });
    can(['create', 'update'], ['Project', 'Task', 'Comment'], { teamId: { $in: ref('subject.writeTeams') } });
    can(
      'close',
      'Task',
      { teamId: { $in: ref('subject.writeTeams') }, assigneeId: ref('subject.id') },
      { name: 'the assignee closes' },
    );
    can('close', 'Task', { teamId: { $in: ref('subject.ownerTeams') } }, { name: 'an owner closes' });
  }),
);

/** The caller as the policy sees them, with their team ids by role. */
export interface Caller extends PolicySubject {
  readonly id: string;
  /** teamId → role. */
  readonly teams: ReadonlyMap<string, TeamRole>;
}

/** Loads the caller's memberships (one query) into a policy subject. */
export async function loadCaller(db: Pick<AppDatabase, 'select'>, userId: string): Promise<Caller> {
  const rows = await db
    .select({ teamId: memberships.teamId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  const teams = new Map(rows.map((row) => [row.teamId, row.role] as const));
  const withPermission = (permission: string) =>
    rows.filter((row) => rbac.can([row.role], permission)).map((row) => row.teamId);
  return {
    id: userId,
    roles: [],
    teams,
    attributes: {
      readTeams: withPermission('team:read'),
      writeTeams: withPermission('team:write'),
      ownerTeams: withPermission('members:manage'),
    },
  };
}

/** Whether `userId` may read `teamId`'s resources: the `canReadTeam` of the live seam. */
export async function canReadTeam(db: AppDatabase, userId: string, teamId: string): Promise<boolean> {
  const caller = await loadCaller(db, userId);
  return policy.can(caller, 'read', 'Team', { teamId });
}

/**
 * Lets `caller` do `action` on a resource of `teamId`, or throws: NotFound when they cannot even read
 * the team (its existence is not revealed), NotAllowed when they can read but not do this.
 */
export function authorize(
  caller: Caller,
  action: string,
  resourceType: string,
  resource: { teamId: string } & Record<string, unknown>,
  notFound: () => NotFound,
): void {
  if (!policy.can(caller, 'read', 'Team', { teamId: resource.teamId })) throw notFound();
  if (action === 'read' || policy.can(caller, action, resourceType, resource)) return;
  const code = action === 'close' ? 'CLOSE_NOT_ALLOWED' : 'NOT_ALLOWED';
  const message =
    action === 'close'
      ? 'Only the assignee or an owner of the team can close this task.'
      : `Your role in this team (${caller.teams.get(resource.teamId)}) cannot ${action} a ${resourceType.toLowerCase()}.`;
  throw new NotAllowed(code, message);
}
