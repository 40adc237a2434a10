// Every request and response body of the API as a zod schema: the handler definitions validate input
// and shape output through them, and /openapi.json documents them (named components by `meta.id`).
import { z } from 'zod';
import { taskStatuses, teamRoles } from './schema.js';

const id = z.uuid();
const timestamp = z.iso.datetime({ offset: true });

export const userDto = z.object({ id: z.string(), email: z.email(), name: z.string() }).meta({ id: 'User' });
export const roleDto = z.enum(teamRoles).meta({ id: 'TeamRole' });
export const teamDto = z.object({ id, name: z.string(), role: roleDto }).meta({ id: 'Team' });
export const meDto = userDto.extend({ teams: z.array(teamDto) }).meta({ id: 'Me' });
export const memberDto = z
  .object({ teamId: id, userId: z.string(), email: z.email(), name: z.string(), role: roleDto })
  .meta({ id: 'Member' });
export const projectDto = z
  .object({ id, teamId: id, name: z.string(), createdAt: timestamp })
  .meta({ id: 'Project' });
export const statusDto = z.enum(taskStatuses).meta({ id: 'TaskStatus' });
export const taskDto = z
  .object({
    id,
    teamId: id,
    projectId: id,
    title: z.string(),
    description: z.string(),
    status: statusDto,
    assigneeId: z.string().nullable(),
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Task' });
export const taskPageDto = z
  .object({ items: z.array(taskDto), nextCursor: z.string().nullable() })
  .meta({ id: 'TaskPage' });
export const commentDto = z
  .object({ id, taskId: id, authorId: z.string(), body: z.string(), createdAt: timestamp })
  .meta({ id: 'Comment' });

const email = z.email().max(254);
const password = z.string().min(8, 'Use at least 8 characters.').max(1024);
const name = z.string().trim().min(1).max(100);

export const signupDto = z.object({ email, password, name }).meta({ id: 'SignUp' });
export const loginDto = z.object({ email, password: z.string().min(1).max(1024) }).meta({ id: 'Login' });
export const refreshDto = z.object({ refreshToken: z.string().min(1).max(200) }).meta({ id: 'Refresh' });
export const logoutDto = z
  .object({ refreshToken: z.string().min(1).max(200).optional() })
  .meta({ id: 'Logout' });
export const tokensDto = z
  .object({ accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int() })
  .meta({ id: 'Tokens' });
export const sessionDto = tokensDto.extend({ user: userDto }).meta({ id: 'Session' });

export const newTeamDto = z.object({ name }).meta({ id: 'NewTeam' });
export const newMemberDto = z.object({ email, role: roleDto }).meta({ id: 'NewMember' });
export const newProjectDto = z.object({ name }).meta({ id: 'NewProject' });
export const newTaskDto = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).optional(),
    assigneeId: id.optional(),
  })
  .meta({ id: 'NewTask' });
export const taskChangeDto = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(10_000).optional(),
    status: statusDto.optional(),
    assigneeId: id.nullable().optional(),
  })
  .meta({ id: 'TaskChange' });
export const newCommentDto = z
  .object({ body: z.string().trim().min(1).max(10_000) })
  .meta({ id: 'NewComment' });
export const taskQueryDto = z.object({
  status: statusDto.optional(),
  assigneeId: id.optional(),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export type Task = z.infer<typeof taskDto>;
export type Comment = z.infer<typeof commentDto>;
export type TaskChange = z.infer<typeof taskChangeDto>;

/** A documented error status of a route: its body is the shared problem+json. */
export const problem = (description: string) => ({ description });
