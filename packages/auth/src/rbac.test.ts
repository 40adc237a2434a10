import { describe, expect, it } from 'vitest';
import { AuthError } from './errors.js';
import { createRbac, hasPermission } from './rbac.js';

describe('createRbac', () => {
  const rbac = createRbac({
    viewer: { permissions: ['posts:read'] },
    editor: { inherits: ['viewer'], permissions: ['posts:write'] },
    admin: { inherits: ['editor'], permissions: ['users:*'] },
    root: { permissions: ['*'] },
  });

  it('grants inherited permissions through every level', () => {
    expect([...rbac.permissionsOf(['admin'])].sort()).toEqual(['posts:read', 'posts:write', 'users:*']);
    expect(rbac.can(['admin'], 'posts:read')).toBe(true);
    expect(rbac.can(['viewer'], 'posts:write')).toBe(false);
  });

  it('matches resource wildcards and the global wildcard, and nothing for unknown roles', () => {
    expect(rbac.can(['admin'], 'users:delete')).toBe(true);
    expect(rbac.can(['root'], 'anything:at-all')).toBe(true);
    expect(rbac.can(['ghost'], 'posts:read')).toBe(false);
    expect(rbac.can(['viewer', 'editor'], 'posts:write')).toBe(true);
  });

  it('refuses an inheritance cycle and an unknown parent at start', () => {
    const cycle = () => createRbac({ a: { inherits: ['b'] }, b: { inherits: ['a'] } });
    expect(cycle).toThrow(AuthError);
    expect(cycle).toThrow(/cycle: a -> b -> a/);
    expect(() => createRbac({ a: { inherits: ['nope'] } })).toThrow(/"nope", which is not defined/);
  });

  it('hasPermission does not let "posts" match "posts:read" or a prefix match across segments', () => {
    expect(hasPermission(['posts'], 'posts:read')).toBe(false);
    expect(hasPermission(['post:*'], 'posts:read')).toBe(false);
  });
});
