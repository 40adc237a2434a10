// Teams, members (the owner-only route) and projects.
import { defineHandler, reply } from '@plinth/handlers';
import { z } from 'zod';
import { authenticated, callerId } from './caller.js';
import { memberDto, newMemberDto, newProjectDto, newTeamDto, problem, projectDto, teamDto } from './dto.js';
import type { Project } from './teams.js';
import { Teams } from './tokens.js';

export const teamParams = z.object({ teamId: z.uuid() });

const toProject = (project: Project) => ({ ...project, createdAt: project.createdAt.toISOString() });

export const listTeams = defineHandler({
  method: 'GET',
  path: '/teams',
  summary: 'The teams the caller belongs to, with their role',
  tags: ['teams'],
  security: authenticated,
  schema: { response: { 200: z.array(teamDto) } },
  services: { teams: Teams },
  handle: (_input, { teams }, ctx) => teams.list(callerId(ctx)),
});

export const createTeam = defineHandler({
  method: 'POST',
  path: '/teams',
  summary: 'Create a team (the caller becomes its owner)',
  tags: ['teams'],
  security: authenticated,
  schema: { body: newTeamDto, response: { 201: teamDto } },
  services: { teams: Teams },
  handle: async ({ body }, { teams }, ctx) => reply(201, await teams.create(callerId(ctx), body.name)),
});

export const addMember = defineHandler({
  method: 'POST',
  path: '/teams/:teamId/members',
  summary: 'Add a user to the team (owners only)',
  tags: ['teams'],
  security: authenticated,
  schema: {
    params: teamParams,
    body: newMemberDto,
    response: {
      201: memberDto,
      403: problem('The caller is not an owner of the team (OWNER_REQUIRED).'),
      404: problem('No such team for the caller, or no user with that email.'),
      409: problem('The user is in the team already.'),
    },
  },
  services: { teams: Teams },
  handle: async ({ params, body }, { teams }, ctx) =>
    reply(201, await teams.addMember(callerId(ctx), params.teamId, body)),
});

export const listProjects = defineHandler({
  method: 'GET',
  path: '/teams/:teamId/projects',
  summary: "The team's projects",
  tags: ['projects'],
  security: authenticated,
  schema: {
    params: teamParams,
    response: { 200: z.array(projectDto), 404: problem('No such team for the caller.') },
  },
  services: { teams: Teams },
  handle: async ({ params }, { teams }, ctx) =>
    (await teams.listProjects(callerId(ctx), params.teamId)).map(toProject),
});

export const createProject = defineHandler({
  method: 'POST',
  path: '/teams/:teamId/projects',
  summary: 'Create a project (members and owners)',
  tags: ['projects'],
  security: authenticated,
  schema: {
    params: teamParams,
    body: newProjectDto,
    response: {
      201: projectDto,
      403: problem('Viewers cannot write.'),
      404: problem('No such team for the caller.'),
    },
  },
  services: { teams: Teams },
  handle: async ({ params, body }, { teams }, ctx) =>
    reply(201, toProject(await teams.createProject(callerId(ctx), params.teamId, body.name))),
});

export const teamRoutes = [listTeams, createTeam, addMember, listProjects, createProject] as const;
