// Teams, their members and their projects. Adding a member is the role-guarded operation: only an
// owner of the team (RBAC permission `members:manage`) may.

import { toDrizzleWhere } from '@plinth/auth/drizzle';
import { and, asc, eq, sql } from 'drizzle-orm';
import { authorize, loadCaller, policy, rbac } from './access.js';
import { AlreadyMember, isUniqueViolation, NotAllowed, NotFound } from './errors.js';
import { memberships, projects, type TeamRole, teams, users } from './schema.js';
import type { AppTransactions } from './services.js';

export interface TeamView {
  id: string;
  name: string;
  role: TeamRole;
}
export interface Member {
  teamId: string;
  userId: string;
  email: string;
  name: string;
  role: TeamRole;
}
export type Project = typeof projects.$inferSelect;

export interface TeamService {
  list(userId: string): Promise<TeamView[]>;
  /** Creates a team; its creator is its owner. */
  create(userId: string, name: string): Promise<TeamView>;
  /** Owner only (403 OWNER_REQUIRED otherwise); the user must exist (404) and not be a member (409). */
  addMember(userId: string, teamId: string, input: { email: string; role: TeamRole }): Promise<Member>;
  listProjects(userId: string, teamId: string): Promise<Project[]>;
  createProject(userId: string, teamId: string, name: string): Promise<Project>;
}

const teamNotFound = (teamId: string) => () =>
  new NotFound('TEAM_NOT_FOUND', `There is no team "${teamId}" you belong to.`);

export function createTeamService(transactions: AppTransactions): TeamService {
  const db = () => transactions.db();
  return {
    async list(userId) {
      return db()
        .select({ id: teams.id, name: teams.name, role: memberships.role })
        .from(memberships)
        .innerJoin(teams, eq(teams.id, memberships.teamId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(teams.createdAt), asc(teams.id));
    },
    create: (userId, name) =>
      transactions.transactional(async () => {
        const [team] = await db().insert(teams).values({ name }).returning();
        await db().insert(memberships).values({ teamId: team!.id, userId, role: 'owner' });
        return { id: team!.id, name: team!.name, role: 'owner' as const };
      }),
    async addMember(userId, teamId, { email, role }) {
      try {
        return await transactions.transactional(async () => {
          const caller = await loadCaller(db(), userId);
          const callerRole = caller.teams.get(teamId);
          if (callerRole === undefined) throw teamNotFound(teamId)();
          if (!rbac.can([callerRole], 'members:manage')) {
            throw new NotAllowed('OWNER_REQUIRED', 'Only an owner of the team can add members.');
          }
          const [user] = await db()
            .select()
            .from(users)
            .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
          if (!user) {
            throw new NotFound(
              'USER_NOT_FOUND',
              `There is no user with email "${email}"; they sign up first.`,
            );
          }
          await db().insert(memberships).values({ teamId, userId: user.id, role });
          return { teamId, userId: user.id, email: user.email, name: user.name, role };
        });
      } catch (error) {
        // Outside the transaction, for the reason given in accounts.ts's insertUser.
        if (isUniqueViolation(error)) {
          throw new AlreadyMember('ALREADY_MEMBER', `${email} is in this team already.`, { cause: error });
        }
        throw error;
      }
    },
    async listProjects(userId, teamId) {
      const caller = await loadCaller(db(), userId);
      authorize(caller, 'read', 'Project', { teamId }, teamNotFound(teamId));
      return db()
        .select()
        .from(projects)
        .where(
          and(
            eq(projects.teamId, teamId),
            toDrizzleWhere(policy.filter(caller, 'read', 'Project'), projects),
          ),
        )
        .orderBy(asc(projects.createdAt), asc(projects.id));
    },
    createProject: (userId, teamId, name) =>
      transactions.transactional(async () => {
        const caller = await loadCaller(db(), userId);
        authorize(caller, 'create', 'Project', { teamId }, teamNotFound(teamId));
        const [project] = await db().insert(projects).values({ teamId, name }).returning();
        return project!;
      }),
  };
}
