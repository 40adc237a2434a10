// A Fastify 5 plugin, not encapsulated (the fastify-plugin convention), so `request.user` and
// `fastify.authenticate` are visible to every route of the app that registered it.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticateOptions, createAuthenticator } from '../authenticate.js';
import { AuthError, type ForwardErrorsOption } from '../errors.js';
import { guardOf, type PermissionCheck } from '../guard.js';
import type { Principal } from '../principal.js';
import { problemOf } from '../problem.js';
import { nodeView } from './node-view.js';

/** A Fastify hook (onRequest / preHandler) this package makes. */
export type FastifyAuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated principal, set by @plinth/auth. */
    user: Principal | undefined;
  }
  interface FastifyInstance {
    /** @plinth/auth's authenticate hook, for routes' `onRequest` when the plugin is not global. */
    authenticate: FastifyAuthHook;
  }
}

/** Options of the Fastify plugin: authenticate's options, and whether every route requires it. */
export interface FastifyAuthOptions extends AuthenticateOptions, ForwardErrorsOption {
  /** Authenticate every route (an onRequest hook). Default true; false leaves it to `fastify.authenticate` per route. */
  global?: boolean;
}

/** Answers a 4xx refusal as problem+json, or throws it to Fastify's error handler with `forwardErrors`. */
async function sendProblem(reply: FastifyReply, error: unknown, forward: boolean | undefined): Promise<void> {
  if (forward === true || !(error instanceof AuthError) || error.status >= 500) throw error;
  const { status, body, headers } = problemOf(error);
  // A Buffer, so Fastify adds no "; charset=utf-8" to the exact problem+json type (SEAMS §B).
  await reply.code(status).headers(headers).send(Buffer.from(body));
}

/**
 * Registers authentication: `request.user` (a decorator), `fastify.authenticate`, and with `global`
 * (the default) an onRequest hook that answers 401 problem+json (thrown to the app's error handler with
 * `forwardErrors`).
 *
 * @example
 * await app.register(auth, { bearer: verifier });
 */
export const auth: FastifyPluginAsync<FastifyAuthOptions> = Object.assign(
  async (fastify: FastifyInstance, options: FastifyAuthOptions) => {
    const authenticator = createAuthenticator(options);
    const hook: FastifyAuthHook = async (request, reply) => {
      try {
        request.user = await authenticator.authenticate(nodeView(request.raw));
      } catch (error) {
        await sendProblem(reply, error, options.forwardErrors);
      }
    };
    if (!fastify.hasRequestDecorator('user')) fastify.decorateRequest('user', undefined);
    fastify.decorate('authenticate', hook);
    if (options.global !== false) fastify.addHook('onRequest', hook);
  },
  {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@plinth/auth',
    [Symbol.for('plugin-meta')]: { name: '@plinth/auth', fastify: '5.x' },
  },
);

/**
 * A hook letting the request through only when `request.user` passes every check; 401/403 problem+json otherwise.
 * A last argument `{ forwardErrors: true }` throws the refusal to the app's error handler instead.
 *
 * @example
 * app.delete('/posts/:id', { preHandler: requirePermission('posts:delete') }, handler);
 */
export function requirePermission(
  ...checks: [...PermissionCheck[], ForwardErrorsOption] | PermissionCheck[]
): FastifyAuthHook {
  const [guard, forward] = guardOf(checks);
  return async (request, reply) => {
    try {
      await guard.check(request.user);
    } catch (error) {
      await sendProblem(reply, error, forward);
    }
  };
}
