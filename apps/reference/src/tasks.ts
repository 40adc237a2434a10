// Tasks and their comments. Every write runs in one transaction with its domain events, which go to
// the outbox (@plinth/services) in that same transaction: an event exists exactly when its change
// committed. Lists are filtered by the caller's rules in SQL and paged by keyset (@plinth/db).
import { toDrizzleWhere } from '@plinth/auth/drizzle';
import { type CursorCodec, keysetPage } from '@plinth/db';
import type { Outbox } from '@plinth/services/drizzle';
import { and, asc, eq, sql } from 'drizzle-orm';
import { authorize, type Caller, loadCaller, policy } from './access.js';
import type { Comment, Task, TaskChange } from './dto.js';
import { AssigneeNotMember, NotFound } from './errors.js';
import { comments, memberships, projects, type TaskStatus, tasks } from './schema.js';
import type { AppTransactions } from './services.js';

/** The domain events of the tracker, as the outbox carries them (REFERENCE-CONTRACT.md). */
export type TaskEventType =
  | 'task.created'
  | 'task.updated'
  | 'task.assigned'
  | 'task.closed'
  | 'comment.added';
export interface TaskEventPayload {
  teamId: string;
  projectId: string;
  taskId: string;
  actorId: string;
  task: Task;
  comment?: Comment;
  previousAssigneeId?: string | null;
}

export interface TaskQuery {
  status?: TaskStatus | undefined;
  assigneeId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface TaskService {
  list(
    userId: string,
    teamId: string,
    query: TaskQuery,
  ): Promise<{ items: Task[]; nextCursor: string | null }>;
  create(
    userId: string,
    projectId: string,
    input: { title: string; description?: string | undefined; assigneeId?: string | undefined },
  ): Promise<Task>;
  get(userId: string, taskId: string): Promise<Task>;
  /** Closing (status `done`) is for the assignee or an owner; viewers change nothing. */
  update(userId: string, taskId: string, change: TaskChange): Promise<Task>;
  addComment(userId: string, taskId: string, body: string): Promise<Comment>;
  listComments(userId: string, taskId: string): Promise<Comment[]>;
}

type TaskRow = typeof tasks.$inferSelect;
const toTask = (row: TaskRow): Task => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
const toComment = (row: typeof comments.$inferSelect, teamId: string): Comment & { teamId: string } => ({
  ...row,
  teamId,
  createdAt: row.createdAt.toISOString(),
});

const taskNotFound = (taskId: string) => () =>
  new NotFound('TASK_NOT_FOUND', `There is no task "${taskId}" you can see.`);

/** Makes the task service; `cursors` signs the keyset cursors of lists. */
export function createTaskService(
  transactions: AppTransactions,
  outbox: Outbox,
  cursors: CursorCodec,
): TaskService {
  const db = () => transactions.db();

  const emit = (type: TaskEventType, payload: TaskEventPayload) =>
    outbox.add({ type, payload, headers: { teamId: payload.teamId } });

  async function readable(userId: string, taskId: string): Promise<{ caller: Caller; row: TaskRow }> {
    const caller = await loadCaller(db(), userId);
    const [row] = await db().select().from(tasks).where(eq(tasks.id, taskId));
    if (!row) throw taskNotFound(taskId)();
    authorize(caller, 'read', 'Task', row, taskNotFound(taskId));
    return { caller, row };
  }

  async function assertMember(teamId: string, assigneeId: string | null | undefined): Promise<void> {
    if (assigneeId === null || assigneeId === undefined) return;
    const [row] = await db()
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, assigneeId)));
    if (!row)
      throw new AssigneeNotMember(
        'ASSIGNEE_NOT_MEMBER',
        `User "${assigneeId}" is not a member of this team.`,
      );
  }

  return {
    async list(userId, teamId, query) {
      const caller = await loadCaller(db(), userId);
      authorize(
        caller,
        'read',
        'Task',
        { teamId },
        () => new NotFound('TEAM_NOT_FOUND', `There is no team "${teamId}" you belong to.`),
      );
      // The caller's read rules become SQL: a row they may not see is never loaded.
      const visible = toDrizzleWhere(policy.filter(caller, 'read', 'Task'), tasks);
      const page = await keysetPage(db(), {
        from: tasks,
        where: and(
          eq(tasks.teamId, teamId),
          visible,
          query.status === undefined ? undefined : eq(tasks.status, query.status),
          query.assigneeId === undefined ? undefined : eq(tasks.assigneeId, query.assigneeId),
        ),
        sort: tasks.createdAt,
        key: tasks.id,
        limit: query.limit,
        cursor: query.cursor,
        codec: cursors,
      });
      return { items: page.items.map(toTask), nextCursor: page.nextCursor };
    },

    create: (userId, projectId, input) =>
      transactions.transactional(async () => {
        const caller = await loadCaller(db(), userId);
        const [project] = await db().select().from(projects).where(eq(projects.id, projectId));
        const projectNotFound = () =>
          new NotFound('PROJECT_NOT_FOUND', `There is no project "${projectId}" you can see.`);
        if (!project) throw projectNotFound();
        authorize(caller, 'create', 'Task', { teamId: project.teamId }, projectNotFound);
        await assertMember(project.teamId, input.assigneeId);
        const [row] = await db()
          .insert(tasks)
          .values({
            teamId: project.teamId,
            projectId,
            title: input.title,
            description: input.description ?? '',
            assigneeId: input.assigneeId ?? null,
            createdBy: userId,
          })
          .returning();
        const task = toTask(row!);
        const payload = { teamId: task.teamId, projectId, taskId: task.id, actorId: userId, task };
        await emit('task.created', payload);
        if (task.assigneeId !== null) await emit('task.assigned', { ...payload, previousAssigneeId: null });
        return task;
      }),

    async get(userId, taskId) {
      return toTask((await readable(userId, taskId)).row);
    },

    update: (userId, taskId, change) =>
      transactions.transactional(async () => {
        const { caller, row } = await readable(userId, taskId);
        authorize(caller, 'update', 'Task', row, taskNotFound(taskId));
        const closing = change.status === 'done' && row.status !== 'done';
        // The rule sees the task as it is: its current assignee closes it (or an owner does).
        if (closing) authorize(caller, 'close', 'Task', row, taskNotFound(taskId));
        const reassigned = change.assigneeId !== undefined && change.assigneeId !== row.assigneeId;
        if (reassigned) await assertMember(row.teamId, change.assigneeId);
        const [updated] = await db()
          .update(tasks)
          .set({
            ...(change.title !== undefined && { title: change.title }),
            ...(change.description !== undefined && { description: change.description }),
            ...(change.status !== undefined && { status: change.status }),
            ...(change.assigneeId !== undefined && { assigneeId: change.assigneeId }),
            updatedAt: sql`now()`,
            version: sql`${tasks.version} + 1`,
          })
          .where(eq(tasks.id, taskId))
          .returning();
        const task = toTask(updated!);
        const payload = { teamId: task.teamId, projectId: task.projectId, taskId, actorId: userId, task };
        await emit('task.updated', payload);
        if (reassigned) await emit('task.assigned', { ...payload, previousAssigneeId: row.assigneeId });
        if (closing) await emit('task.closed', payload);
        return task;
      }),

    addComment: (userId, taskId, body) =>
      transactions.transactional(async () => {
        const { caller, row } = await readable(userId, taskId);
        authorize(caller, 'create', 'Comment', { teamId: row.teamId }, taskNotFound(taskId));
        const [inserted] = await db().insert(comments).values({ taskId, authorId: userId, body }).returning();
        const comment = toComment(inserted!, row.teamId);
        await emit('comment.added', {
          teamId: row.teamId,
          projectId: row.projectId,
          taskId,
          actorId: userId,
          task: toTask(row),
          comment,
        });
        return comment;
      }),

    async listComments(userId, taskId) {
      const { row } = await readable(userId, taskId);
      const rows = await db()
        .select()
        .from(comments)
        .where(eq(comments.taskId, taskId))
        .orderBy(asc(comments.createdAt), asc(comments.id));
      return rows.map((comment) => toComment(comment, row.teamId));
    },
  };
}
