// Express 5 middleware: thin translations of the core onto req/res. The principal goes to `req.user`
// (Passport's place) and `res.locals.user` (for views).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthenticateOptions, createAuthenticator } from '../authenticate.js';
import { AuthError, type ForwardErrorsOption } from '../errors.js';
import { guardOf, type PermissionCheck } from '../guard.js';
import type { Principal } from '../principal.js';
import { nodeView, writeProblem } from './node-view.js';

/** Connect-style middleware, as Express 5 and node:http servers call it. */
export type ExpressMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

type Request = IncomingMessage & { user?: Principal };
type Response = ServerResponse & { locals?: Record<string, unknown> };

/** Answers a 4xx refusal as problem+json, or hands it to Express's error handlers with `forwardErrors`. */
function fail(
  res: ServerResponse,
  next: (error?: unknown) => void,
  error: unknown,
  forward: boolean | undefined,
): void {
  if (forward !== true && error instanceof AuthError && error.status < 500) writeProblem(res, error);
  else next(error);
}

/**
 * Authenticates every request; the principal is at `req.user` and `res.locals.user`, else 401 problem+json
 * (`next(error)` with `forwardErrors`).
 *
 * @example
 * app.use(authenticate({ bearer: verifier }));
 */
export function authenticate(options: AuthenticateOptions & ForwardErrorsOption): ExpressMiddleware {
  const authenticator = createAuthenticator(options);
  return (req, res, next) => {
    authenticator.authenticate(nodeView(req)).then(
      (principal) => {
        if (principal !== undefined) {
          (req as Request).user = principal;
          (res as Response).locals ??= {};
          (res as Response).locals!.user = principal;
        }
        next();
      },
      (error: unknown) => fail(res, next, error, options.forwardErrors),
    );
  };
}

/**
 * Lets the request through only when `req.user` passes every check; 401 or 403 problem+json otherwise.
 * A last argument `{ forwardErrors: true }` hands the refusal to `next(error)` instead.
 *
 * @example
 * app.delete('/posts/:id', requirePermission('posts:delete'), handler);
 * app.delete('/posts/:id', requirePermission('posts:delete', { forwardErrors: true }), handler);
 */
export function requirePermission(
  ...checks: [...PermissionCheck[], ForwardErrorsOption] | PermissionCheck[]
): ExpressMiddleware {
  const [guard, forward] = guardOf(checks);
  return (req, res, next) => {
    guard.check((req as Request).user).then(
      () => next(),
      (error: unknown) => fail(res, next, error, forward),
    );
  };
}
