// The README's example, reduced to what runs anywhere: a container, two definitions with zod
// schemas and a scoped service, bound to @plinth/http and served by Bun.serve or Deno.serve for
// scripts/runtime-smoke.mjs. It prints "listening <port>" and answers test/runtime/cases.json.
import { createApp } from '@plinth/http';
import { z } from 'zod';
import { bindHttp, createContainer, created, defineHandler, token } from '../../dist/index.js';

const Store = token('Store');
const Users = token('Users');
let requests = 0;

const container = createContainer()
  .singleton(Store, () => new Map([[1, { id: 1, name: 'Ada', passwordHash: 'secret' }]]))
  .scoped(Users, [Store], (store) => ({ store, request: ++requests }));

const User = z.object({ id: z.number(), name: z.string() });

const getUser = defineHandler({
  method: 'GET',
  path: '/users/:id',
  schema: { params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: User } },
  services: { users: Users },
  handle: ({ params }, { users }) => {
    const user = users.store.get(params.id);
    if (!user)
      throw Object.assign(new Error(`No user ${params.id}.`), { status: 404, code: 'USER_NOT_FOUND' });
    return user;
  },
});

const createUser = defineHandler({
  method: 'POST',
  path: '/users',
  schema: { body: z.object({ name: z.string().min(1) }), response: { 201: User } },
  services: { users: Users },
  handle: ({ body }, { users }) => {
    const user = { id: users.store.size + 1, name: body.name, passwordHash: 'x' };
    users.store.set(user.id, user);
    return created(user, { location: `/users/${user.id}` });
  },
});

const app = createApp();
bindHttp(app, [getUser, createUser], { container });

const options = { port: 0, hostname: '127.0.0.1' };
if (globalThis.Bun) {
  const server = Bun.serve({ ...options, fetch: app.fetch });
  console.log(`listening ${server.port}`);
} else {
  Deno.serve({ ...options, onListen: ({ port }) => console.log(`listening ${port}`) }, app.fetch);
}
