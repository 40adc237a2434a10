// One API declared with handler definitions, bound to @plinth/http, Express and Fastify alike.
import { z } from 'zod';
import { createContainer, created, defineHandler, reply, scopedToken, token } from '../../src/index.js';

export interface UserRecord {
  id: number;
  name: string;
  email: string;
  passwordHash: string;
  profile: { bio: string; secretNote: string };
}

export const User = z.object({
  id: z.number(),
  name: z.string(),
  email: z.email(),
  profile: z.object({ bio: z.string() }).optional(),
});

const Problem = z.object({ type: z.string(), title: z.string(), status: z.number(), code: z.string() });

/** An exposed domain error in the http-errors shape. */
export class DomainError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class UserStore {
  readonly users = new Map<number, UserRecord>();
  constructor() {
    this.users.set(1, {
      id: 1,
      name: 'Ada',
      email: 'ada@example.com',
      passwordHash: '$argon2id$secret',
      profile: { bio: 'mathematician', secretNote: 'never leaves' },
    });
    this.users.set(2, {
      id: 2,
      name: 'Alan',
      email: 'alan@example.com',
      passwordHash: 'x',
      profile: { bio: '', secretNote: 'x' },
    });
  }
}

let requests = 0;

/** A scoped service that records its disposal, so tests can see the request scope end. */
export class RequestLog {
  readonly id = ++requests;
  constructor(private readonly log: string[]) {}
  async [Symbol.asyncDispose]() {
    this.log.push(`disposed ${this.id}`);
  }
}

export class UserService {
  constructor(
    readonly store: UserStore,
    readonly requestLog: RequestLog,
  ) {}
  find(id: number): UserRecord | undefined {
    return this.store.users.get(id);
  }
}

export const Store = token<UserStore>('UserStore');
export const Log = token<string[]>('DisposalLog');
export const CurrentRequest = scopedToken<RequestLog>('RequestLog');
export const Users = token<UserService>('UserService');

export function makeContainer() {
  const log: string[] = [];
  const container = createContainer()
    .singleton(Store, () => new UserStore())
    .value(Log, log)
    .scoped(CurrentRequest, [Log], (entries) => new RequestLog(entries))
    .scoped(Users, [Store, CurrentRequest], (store, requestLog) => new UserService(store, requestLog));
  return { container, log };
}

export const getUser = defineHandler({
  method: 'GET',
  path: '/users/:id',
  summary: 'One user',
  tags: ['users'],
  operationId: 'getUser',
  schema: {
    params: z.object({ id: z.coerce.number().int().positive() }),
    response: { 200: User, 404: { description: 'No such user', schema: Problem } },
  },
  services: { users: Users },
  handle: ({ params }, { users }) => {
    const user = users.find(params.id);
    if (user === undefined) throw new DomainError(404, 'USER_NOT_FOUND', `There is no user ${params.id}.`);
    return user;
  },
});

export const listUsers = defineHandler({
  method: 'GET',
  path: '/users',
  schema: {
    querystring: z.object({
      limit: z.coerce.number().int().max(50).default(10),
      tag: z.union([z.string(), z.array(z.string())]).optional(),
    }),
    response: { 200: z.object({ limit: z.number(), tags: z.array(z.string()), users: z.array(User) }) },
  },
  services: { users: Users },
  handle: ({ query }, { users }) => ({
    limit: query.limit,
    tags: query.tag === undefined ? [] : ([] as string[]).concat(query.tag),
    users: [...users.store.users.values()].slice(0, query.limit),
  }),
});

export const createUser = defineHandler({
  method: 'POST',
  path: '/users',
  schema: {
    body: z.object({ name: z.string().min(1), email: z.email(), password: z.string().min(8) }),
    response: { 201: User, 409: Problem },
  },
  services: { users: Users },
  handle: ({ body }, { users }) => {
    const taken = [...users.store.users.values()].some((user) => user.email === body.email);
    if (taken) throw new DomainError(409, 'EMAIL_TAKEN', 'This e-mail address is already registered.');
    const id = users.store.users.size + 1;
    const user = {
      id,
      name: body.name,
      email: body.email,
      passwordHash: `hash:${body.password}`,
      profile: { bio: '', secretNote: '' },
    };
    users.store.users.set(id, user);
    return created(user, { location: `/users/${id}` });
  },
});

export const deleteUser = defineHandler({
  method: 'DELETE',
  path: '/users/:id',
  schema: { params: z.object({ id: z.coerce.number() }), response: { 204: { description: 'Deleted' } } },
  services: { users: Users },
  handle: ({ params }, { users }) => {
    users.store.users.delete(params.id);
  },
});

export const renameUser = defineHandler({
  method: 'PATCH',
  path: '/users/:id',
  schema: {
    params: z.object({ id: z.coerce.number() }),
    body: z.object({ name: z.string().min(1) }),
    response: { 200: User, 404: Problem },
  },
  services: { users: Users },
  handle: ({ params, body }, { users }) => {
    const user = users.find(params.id);
    if (user === undefined)
      return reply(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'USER_NOT_FOUND' });
    user.name = body.name;
    return reply(200, user, { headers: { 'x-renamed': 'yes' } });
  },
});

export const tenant = defineHandler({
  method: 'GET',
  path: '/tenant',
  schema: { headers: z.object({ 'x-tenant-id': z.uuid() }) },
  handle: ({ headers }) => ({ tenant: headers['x-tenant-id'] }),
});

export const boom = defineHandler({
  method: 'GET',
  path: '/boom',
  handle: () => {
    throw new Error('connect ECONNREFUSED: password hunter2');
  },
});

export const brokenResponse = defineHandler({
  method: 'GET',
  path: '/broken-response',
  schema: { response: { 200: User } },
  // @ts-expect-error the response schema wants a User
  handle: () => ({ id: 'not a number' }),
});

export const scopeProbe = defineHandler({
  method: 'GET',
  path: '/scope',
  services: { users: Users, requestLog: CurrentRequest },
  handle: async (_input, { users, requestLog }, ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    // The same request's instance, from the service, from ctx.scope and through AsyncLocalStorage.
    return {
      id: requestLog.id,
      sameInService: users.requestLog === requestLog,
      sameInScope: ctx.scope?.resolve(CurrentRequest) === requestLog,
      sameThroughStorage: current?.resolve(CurrentRequest) === requestLog,
      routePath: ctx.routePath,
      path: ctx.path,
    };
  },
});

type Probe = { resolve(token: typeof CurrentRequest): RequestLog };
let current: Probe | undefined;
/** The container under test, for the AsyncLocalStorage check. */
export function useContainer(container: Probe): void {
  current = container;
}

/** Waits until the client goes away; `started` tells the test it is running. */
export const slow = defineHandler({
  method: 'GET',
  path: '/slow',
  services: { requestLog: CurrentRequest },
  handle: async (_input, { requestLog }, ctx) => {
    slowStarted.resolve(requestLog.id);
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    return { id: requestLog.id };
  },
});

export const slowStarted = {
  resolve: (_id: number) => {},
};

export const files = defineHandler({
  method: 'GET',
  path: '/files/*',
  handle: ({ params }) => ({ path: params['*'] }),
});

export const api = [
  getUser,
  listUsers,
  createUser,
  deleteUser,
  renameUser,
  tenant,
  boom,
  brokenResponse,
  scopeProbe,
  slow,
  files,
] as const;
