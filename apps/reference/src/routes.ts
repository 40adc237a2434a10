// The reference API's routes, declared once as handler definitions: the schemas validate the input,
// shape the output, and describe the OpenAPI document served at /openapi.json.
import { created, defineHandler, token } from '@plinth/handlers';
import { NotFoundError } from '@plinth/observability';
import { z } from 'zod';
import { newUserSchema, type UserStore } from './users.js';

/** The user store, resolved by the container. */
export const Users = token<UserStore>('Users');

const userSchema = z
  .object({ id: z.string(), name: z.string(), email: z.email(), createdAt: z.iso.datetime() })
  .meta({ id: 'User' });
const aboutSchema = z.object({
  name: z.string(),
  description: z.string(),
  links: z.record(z.string(), z.string()),
});

export const about = defineHandler({
  method: 'GET',
  path: '/',
  summary: 'About this service',
  tags: ['service'],
  schema: { response: { 200: aboutSchema } },
  handle: () => ({
    name: 'plinth-reference',
    description: 'The Plinth reference API',
    links: {
      users: '/users',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/healthz',
      liveness: '/livez',
      readiness: '/readyz',
    },
  }),
});

export const listUsers = defineHandler({
  method: 'GET',
  path: '/users',
  summary: 'List users',
  tags: ['users'],
  schema: { response: { 200: z.array(userSchema) } },
  services: { users: Users },
  handle: (_input, { users }) => users.list(),
});

export const getUser = defineHandler({
  method: 'GET',
  path: '/users/:id',
  summary: 'Get one user',
  tags: ['users'],
  schema: { params: z.object({ id: z.string() }), response: { 200: userSchema } },
  services: { users: Users },
  handle: async ({ params }, { users }) => {
    const user = await users.get(params.id);
    if (!user) throw new NotFoundError(`There is no user with id "${params.id}".`);
    return user;
  },
});

export const createUser = defineHandler({
  method: 'POST',
  path: '/users',
  summary: 'Create a user',
  tags: ['users'],
  schema: {
    body: newUserSchema,
    response: { 201: userSchema, 409: { description: 'A user with this email (in any case) exists.' } },
  },
  services: { users: Users },
  // A taken email is a 409 from the store: the database's unique index decides, so a race cannot slip by.
  handle: async ({ body }, { users }) => {
    const user = await users.create(body);
    return created(user, { location: `/users/${user.id}` });
  },
});

/** Every route of the API, in the order they are bound. */
export const api = [about, listUsers, getUser, createUser] as const;
