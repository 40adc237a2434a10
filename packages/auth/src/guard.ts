// Permission guards, framework-free: a principal passes when every check allows; no principal is a
// 401, a denied check a 403 whose `explanation` (kept off the wire) names what denied it.
import { ForbiddenError, type ForwardErrorsOption, invalidOption, UnauthenticatedError } from './errors.js';
import type { Principal } from './principal.js';
import { hasPermission } from './rbac.js';

/** A decision with its reason, as `Policy.check` answers it. */
export interface GuardDecision {
  readonly allowed: boolean;
  /** Why, in words (logged, never sent to the client). */
  readonly reason?: string;
}

/**
 * What a guard checks: a permission string the principal must hold (`posts:write`; `posts:*` and `*`
 * cover it), or a function of the principal (an ABAC `policy.check(...)`).
 */
export type PermissionCheck =
  | string
  | ((principal: Principal) => boolean | GuardDecision | Promise<boolean | GuardDecision>);

/** Internal: the compiled guard. */
export interface Guard {
  /** Resolves when allowed; rejects with UnauthenticatedError (no principal) or ForbiddenError. */
  check(principal: Principal | undefined): Promise<void>;
}

/** Internal: compiles the checks once. */
export function createGuard(checks: readonly PermissionCheck[]): Guard {
  if (checks.length === 0)
    invalidOption('requirePermission needs at least one permission or check function.');
  for (const check of checks) {
    if (typeof check !== 'function' && (typeof check !== 'string' || check === '')) {
      invalidOption(
        'requirePermission takes permission strings ("posts:write") or functions (principal) => boolean.',
      );
    }
  }
  return {
    async check(principal) {
      if (principal === undefined) {
        const error = new UnauthenticatedError(
          'ERR_AUTH_CREDENTIALS_MISSING',
          'Authentication is required: send credentials.',
        );
        error.headers = { 'www-authenticate': 'Bearer realm="api"' };
        throw error;
      }
      for (const check of checks) {
        if (typeof check === 'string') {
          if (!hasPermission(principal.permissions, check)) {
            throw new ForbiddenError(
              `This needs the "${check}" permission.`,
              `principal lacks permission ${check}`,
            );
          }
          continue;
        }
        const outcome = await check(principal);
        const allowed = typeof outcome === 'boolean' ? outcome : outcome.allowed;
        if (!allowed) {
          const reason =
            typeof outcome === 'boolean' ? 'the check function answered false' : (outcome.reason ?? 'denied');
          throw new ForbiddenError('You do not have permission to do this.', reason);
        }
      }
    },
  };
}

/** Internal: the guard of the Express/Fastify `requirePermission` arguments, and their trailing `forwardErrors`. */
export function guardOf(
  args: readonly (PermissionCheck | ForwardErrorsOption)[],
): [guard: Guard, forwardErrors: boolean | undefined] {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null) {
    return [createGuard(args.slice(0, -1) as PermissionCheck[]), last.forwardErrors];
  }
  return [createGuard(args as PermissionCheck[]), undefined];
}
