// RBAC: roles grant permissions and inherit other roles. The inheritance is flattened once at start,
// so a check is one Set lookup (plus the `resource:*` wildcard).
import { AuthError } from './errors.js';

/** One role: its own permissions and the roles it inherits. */
export interface RoleDefinition {
  readonly permissions?: readonly string[];
  readonly inherits?: readonly string[];
}

/** Roles resolved to permissions. */
export interface Rbac {
  /** Every permission the roles grant, inherited ones included. Unknown roles grant nothing. */
  permissionsOf(roles: readonly string[]): ReadonlySet<string>;
  /** Whether the roles grant `permission` (exactly, through `resource:*`, or through `*`). */
  can(roles: readonly string[], permission: string): boolean;
}

function policyError(message: string): never {
  throw new AuthError('ERR_AUTH_POLICY_INVALID', message);
}

/** Whether `granted` covers `required`: an exact match, `posts:*` for `posts:read`, or `*`. */
export function hasPermission(granted: ReadonlySet<string> | readonly string[], required: string): boolean {
  const set = granted instanceof Set ? granted : new Set(granted as readonly string[]);
  if (set.has(required) || set.has('*')) return true;
  const colon = required.lastIndexOf(':');
  return colon > 0 && set.has(`${required.slice(0, colon)}:*`);
}

function flatten(roles: Readonly<Record<string, RoleDefinition>>): Map<string, ReadonlySet<string>> {
  const resolved = new Map<string, ReadonlySet<string>>();
  const visiting: string[] = [];
  const visit = (role: string): ReadonlySet<string> => {
    const done = resolved.get(role);
    if (done) return done;
    if (visiting.includes(role))
      policyError(`Role inheritance has a cycle: ${[...visiting, role].join(' -> ')}.`);
    const definition = roles[role];
    if (definition === undefined)
      policyError(`Role "${visiting.at(-1)}" inherits "${role}", which is not defined.`);
    visiting.push(role);
    const permissions = new Set(definition.permissions ?? []);
    for (const parent of definition.inherits ?? [])
      for (const permission of visit(parent)) permissions.add(permission);
    visiting.pop();
    resolved.set(role, permissions);
    return permissions;
  };
  for (const role of Object.keys(roles)) visit(role);
  return resolved;
}

/**
 * Defines roles; inheritance cycles and unknown parents throw ERR_AUTH_POLICY_INVALID at start.
 *
 * @example
 * const rbac = createRbac({ viewer: { permissions: ['posts:read'] }, editor: { inherits: ['viewer'], permissions: ['posts:write'] } });
 * rbac.can(['editor'], 'posts:read'); // true
 */
export function createRbac(roles: Readonly<Record<string, RoleDefinition>>): Rbac {
  const resolved = flatten(roles);
  const empty: ReadonlySet<string> = new Set();
  const combined = new Map<string, ReadonlySet<string>>();
  const permissionsOf = (names: readonly string[]): ReadonlySet<string> => {
    if (names.length === 1) return resolved.get(names[0] as string) ?? empty;
    const key = [...names].sort().join('\n');
    let set = combined.get(key);
    if (set === undefined) {
      const union = new Set<string>();
      for (const name of names) for (const permission of resolved.get(name) ?? empty) union.add(permission);
      set = union;
      if (combined.size < 1024) combined.set(key, set);
    }
    return set;
  };
  return {
    permissionsOf,
    can: (names, permission) => hasPermission(permissionsOf(names), permission),
  };
}
