// The principal: who the caller is, however they proved it (bearer token, session cookie, API key).

/** The authenticated caller, at `ctx.state.user` / `req.user` / `request.user`. */
export interface Principal {
  /** The stable user (or service) id: the token's `sub`, the session's user, the API key's owner. */
  readonly id: string;
  /** How the caller authenticated. */
  readonly via: 'bearer' | 'cookie' | 'api-key';
  /** Role names (RBAC). */
  readonly roles: readonly string[];
  /** Permissions granted directly (a token's `scope`/`permissions`), plus those of the roles when RBAC is configured. */
  readonly permissions: readonly string[];
  /** Everything else known about the caller (token claims, key metadata) for ABAC conditions. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((item) => item !== '');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * The default principal of a verified access token: `sub` is the id, `roles` the roles, `scope`
 * (RFC 8693 space-separated) and `permissions` the permissions; every claim is an attribute.
 */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>): Principal {
  return {
    id: String(claims.sub),
    via: 'bearer',
    roles: stringList(claims.roles),
    permissions: [...stringList(claims.scope), ...stringList(claims.permissions)],
    attributes: claims,
  };
}
