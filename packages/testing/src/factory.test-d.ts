import { describe, expectTypeOf, it } from 'vitest';
import { association, defineFactory, type Fields } from './factory.js';

interface User {
  id: number;
  email: string;
  role: 'member' | 'admin';
}

describe('factory types', () => {
  const teams = defineFactory({
    fields: ({ sequence }) => ({ name: `Team ${sequence}` }),
    create: async (team) => ({ id: 1, ...team }),
  });
  const users = defineFactory({
    fields: ({ sequence }): Fields<Omit<User, 'id'> & { teamId: number }> => ({
      email: `u${sequence}@example.test`,
      role: 'member',
      teamId: association(teams, (team) => ('id' in team ? team.id : 0)),
    }),
    traits: { admin: { role: 'admin' } },
    create: async (user): Promise<User> => ({ id: 1, email: user.email, role: user.role }),
  });

  it('builds the resolved field type and creates the stored type', () => {
    expectTypeOf(users.build()).toEqualTypeOf<{ email: string; role: 'member' | 'admin'; teamId: number }>();
    expectTypeOf(users.create()).resolves.toEqualTypeOf<User>();
    expectTypeOf(teams.create()).resolves.toEqualTypeOf<{ id: number; name: string }>();
    expectTypeOf(users.buildList(2)).toEqualTypeOf<
      Array<{ email: string; role: 'member' | 'admin'; teamId: number }>
    >();
  });

  it('accepts only known traits and typed overrides', () => {
    users.with('admin');
    // @ts-expect-error: no such trait
    users.with('owner');
    // @ts-expect-error: role is 'member' | 'admin'
    users.build({ role: 'root' });
    // @ts-expect-error: no such field
    users.build({ nickname: 'x' });
  });
});
