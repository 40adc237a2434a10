// Tasks and comments. Lists return only what the caller may read, a keyset page at a time.
import { defineHandler, reply } from '@plinth/handlers';
import { z } from 'zod';
import { authenticated, callerId } from './caller.js';
import {
  commentDto,
  newCommentDto,
  newTaskDto,
  problem,
  taskChangeDto,
  taskDto,
  taskPageDto,
  taskQueryDto,
} from './dto.js';
import { teamParams } from './team-routes.js';
import { Tasks } from './tokens.js';

const taskParams = z.object({ taskId: z.uuid() });
const notFound = problem('No such task (or project) for the caller.');

export const listTasks = defineHandler({
  method: 'GET',
  path: '/teams/:teamId/tasks',
  summary: "The team's tasks the caller may read, oldest first",
  description: 'Pass `nextCursor` back as `cursor` for the next page; it is signed and cannot be edited.',
  tags: ['tasks'],
  security: authenticated,
  schema: {
    params: teamParams,
    querystring: taskQueryDto,
    response: { 200: taskPageDto, 404: problem('No such team for the caller.') },
  },
  services: { tasks: Tasks },
  handle: ({ params, query }, { tasks }, ctx) => tasks.list(callerId(ctx), params.teamId, query),
});

export const createTask = defineHandler({
  method: 'POST',
  path: '/projects/:projectId/tasks',
  summary: 'Create a task in a project (members and owners)',
  tags: ['tasks'],
  security: authenticated,
  schema: {
    params: z.object({ projectId: z.uuid() }),
    body: newTaskDto,
    response: {
      201: taskDto,
      403: problem('Viewers cannot write.'),
      404: notFound,
      422: problem('Invalid input, or the assignee is not a member of the team.'),
    },
  },
  services: { tasks: Tasks },
  handle: async ({ params, body }, { tasks }, ctx) => {
    const task = await tasks.create(callerId(ctx), params.projectId, body);
    return reply(201, task, { headers: { location: `/tasks/${task.id}` } });
  },
});

export const getTask = defineHandler({
  method: 'GET',
  path: '/tasks/:taskId',
  summary: 'One task',
  tags: ['tasks'],
  security: authenticated,
  schema: { params: taskParams, response: { 200: taskDto, 404: notFound } },
  services: { tasks: Tasks },
  handle: ({ params }, { tasks }, ctx) => tasks.get(callerId(ctx), params.taskId),
});

export const updateTask = defineHandler({
  method: 'PATCH',
  path: '/tasks/:taskId',
  summary: 'Change a task',
  description:
    'Closing (status `done`) is allowed to the assignee and to owners of the team; viewers change nothing.',
  tags: ['tasks'],
  security: authenticated,
  schema: {
    params: taskParams,
    body: taskChangeDto,
    response: {
      200: taskDto,
      403: problem('Viewers cannot write; only the assignee or an owner closes (CLOSE_NOT_ALLOWED).'),
      404: notFound,
    },
  },
  services: { tasks: Tasks },
  handle: ({ params, body }, { tasks }, ctx) => tasks.update(callerId(ctx), params.taskId, body),
});

export const addComment = defineHandler({
  method: 'POST',
  path: '/tasks/:taskId/comments',
  summary: 'Comment on a task (members and owners)',
  tags: ['comments'],
  security: authenticated,
  schema: {
    params: taskParams,
    body: newCommentDto,
    response: { 201: commentDto, 403: problem('Viewers cannot write.'), 404: notFound },
  },
  services: { tasks: Tasks },
  handle: async ({ params, body }, { tasks }, ctx) =>
    reply(201, await tasks.addComment(callerId(ctx), params.taskId, body.body)),
});

export const listComments = defineHandler({
  method: 'GET',
  path: '/tasks/:taskId/comments',
  summary: "A task's comments, oldest first",
  tags: ['comments'],
  security: authenticated,
  schema: { params: taskParams, response: { 200: z.array(commentDto), 404: notFound } },
  services: { tasks: Tasks },
  handle: ({ params }, { tasks }, ctx) => tasks.listComments(callerId(ctx), params.taskId),
});

export const taskRoutes = [listTasks, createTask, getTask, updateTask, addComment, listComments] as const;
