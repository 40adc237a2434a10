// Sign-up, login, token refresh, logout and /me. Login answers the token pair for API clients and, with
// `?cookie=1` or `Accept: text/html`, also sets the session cookie of the browser flow.
import { defineHandler, reply } from '@plinth/handlers';
import { TooManyRequestsError } from '@plinth/observability';
import { z } from 'zod';
import { authenticated, callerId } from './caller.js';
import type { ClientRequest } from './client-address.js';
import { loginDto, logoutDto, meDto, problem, refreshDto, sessionDto, signupDto, tokensDto } from './dto.js';
import { InvalidCredentials } from './errors.js';
import { Accounts, Auth, Login } from './tokens.js';

const wantsCookie = (query: { cookie?: string | undefined }, accept: string | undefined) =>
  query.cookie === '1' || (accept ?? '').includes('text/html');

export const signUp = defineHandler({
  method: 'POST',
  path: '/auth/signup',
  summary: 'Create an account',
  description: 'Answers the new user with an access token and a refresh token. Rate limited per client.',
  tags: ['auth'],
  security: [],
  schema: {
    body: signupDto,
    response: {
      201: sessionDto,
      409: problem('The email is taken (EMAIL_TAKEN).'),
      429: problem('Too many requests.'),
    },
  },
  services: { accounts: Accounts },
  handle: async ({ body }, { accounts }) => reply(201, await accounts.signUp(body)),
});

export const logIn = defineHandler({
  method: 'POST',
  path: '/auth/login',
  summary: 'Log in with email and password',
  description:
    'Answers a token pair. With `?cookie=1` or `Accept: text/html` it also sets the HttpOnly session cookie (the browser flow; unsafe requests with it are CSRF-checked). Rate limited per client; repeated failures for one email from one client wait longer each time (429 with Retry-After).',
  tags: ['auth'],
  security: [],
  schema: {
    querystring: z.object({ cookie: z.enum(['0', '1']).optional() }),
    body: loginDto,
    response: {
      200: sessionDto,
      401: problem('Wrong email or password (INVALID_CREDENTIALS).'),
      429: problem('Too many attempts; see Retry-After.'),
    },
  },
  services: { accounts: Accounts, login: Login, auth: Auth },
  handle: async ({ body, query }, { accounts, login, auth }, ctx) => {
    // ctx.raw is @plinth/http's context: it knows the TCP peer.
    const client = login.clientKey(ctx.raw as ClientRequest);
    const verdict = await login.throttle.check(body.email, client);
    if (!verdict.allowed) throw tooManyAttempts(verdict.retryAfterMs);
    let session: Awaited<ReturnType<typeof accounts.logIn>>;
    try {
      session = await accounts.logIn(body);
    } catch (error) {
      if (error instanceof InvalidCredentials) await login.throttle.fail(body.email, client);
      throw error;
    }
    await login.throttle.succeed(body.email, client);
    if (!wantsCookie(query, ctx.header('accept'))) return session;
    // A new session id at every login (rotation against session fixation).
    const cookie = auth.sessions.login({ id: session.user.id }).setCookie;
    return reply(200, session, { headers: { 'set-cookie': cookie } });
  },
});

function tooManyAttempts(retryAfterMs: number) {
  return new TooManyRequestsError(
    'Too many failed logins for this email from your address; wait and retry.',
    {
      retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
      code: 'TOO_MANY_ATTEMPTS',
    },
  );
}

export const refresh = defineHandler({
  method: 'POST',
  path: '/auth/refresh',
  summary: 'Trade a refresh token for a new pair',
  description:
    'Every refresh token works once: the answer carries its successor. Presenting a used one again revokes every token of that login (401 REFRESH_TOKEN_REUSED).',
  tags: ['auth'],
  security: [],
  schema: {
    body: refreshDto,
    response: { 200: tokensDto, 401: problem('Unknown, expired, revoked or reused refresh token.') },
  },
  services: { accounts: Accounts },
  handle: ({ body }, { accounts }) => accounts.refresh(body.refreshToken),
});

export const logOut = defineHandler({
  method: 'POST',
  path: '/auth/logout',
  summary: 'Log out',
  description: 'Revokes the refresh token (and its family) and deletes the session cookie.',
  tags: ['auth'],
  security: [],
  schema: { body: logoutDto, response: { 204: { description: 'Logged out.' } } },
  services: { accounts: Accounts, auth: Auth },
  handle: async ({ body }, { accounts, auth }) => {
    if (body.refreshToken !== undefined) await accounts.logOut(body.refreshToken);
    return reply(204, undefined, { headers: { 'set-cookie': auth.sessions.logout() } });
  },
});

export const me = defineHandler({
  method: 'GET',
  path: '/me',
  summary: 'The current user and their teams',
  tags: ['auth'],
  security: authenticated,
  schema: { response: { 200: meDto, 401: problem('No or bad credentials.') } },
  services: { accounts: Accounts },
  handle: async (_input, { accounts }, ctx) => {
    const user = await accounts.me(callerId(ctx));
    if (!user) throw Object.assign(new Error('This account no longer exists.'), { status: 401 });
    return user;
  },
});

export const authRoutes = [signUp, logIn, refresh, logOut, me] as const;
