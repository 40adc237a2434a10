// "The per-request cost of a handler definition over a bare @plinth/http route": the same GET
// /users/:id answered in-process through app.fetch() by a hand-written route, by a definition with
// no schemas, and by a definition with params and response schemas (zod) and a scoped service.
import { createApp, json } from '@plinth/http';
import { z } from 'zod';
import { bindHttp, createContainer, defineHandler, token } from '../src/index.js';
import type { AsyncSubject } from './measure.js';

class Users {
  find(id: number) {
    return { id, name: 'Ada', email: 'ada@example.com', passwordHash: 'secret' };
  }
}

const request = new Request('http://bench.local/users/42');

async function check(name: string, fetch: (request: Request) => Promise<Response>): Promise<AsyncSubject> {
  const response = await fetch(request);
  const body = (await response.json()) as { id?: number };
  if (response.status !== 200 || body.id !== 42) throw new Error(`${name} answered ${response.status}`);
  return { name, run: () => fetch(request).then((answer) => answer.arrayBuffer()) };
}

/** The subjects, each checked to answer 200 with the user before it is measured. */
export async function handlerSubjects(): Promise<AsyncSubject[]> {
  const bare = createApp();
  const users = new Users();
  bare.get('/users/:id', (ctx) => {
    const { passwordHash: _hidden, ...user } = users.find(Number(ctx.params.id));
    return json(user);
  });

  const plain = createApp();
  bindHttp(plain, [
    defineHandler({
      method: 'GET',
      path: '/users/:id',
      handle: ({ params }) => {
        const { passwordHash: _hidden, ...user } = users.find(Number(params.id));
        return user;
      },
    }),
  ]);

  const UsersToken = token<Users>('Users');
  const Config = token<{ region: string }>('Config');
  const container = createContainer()
    .value(Config, { region: 'eu' })
    .scoped(UsersToken, [Config], () => new Users());
  const typical = createApp();
  bindHttp(
    typical,
    [
      defineHandler({
        method: 'GET',
        path: '/users/:id',
        schema: {
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: z.object({ id: z.number(), name: z.string(), email: z.string() }) },
        },
        services: { users: UsersToken },
        handle: ({ params }, services) => services.users.find(params.id),
      }),
    ],
    { container },
  );

  return [
    await check('bare @plinth/http route', (r) => bare.fetch(r)),
    await check('definition, no schemas', (r) => plain.fetch(r)),
    await check('definition, zod params + response, scoped service', (r) => typical.fetch(r)),
  ];
}
