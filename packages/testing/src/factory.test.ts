import { describe, expect, it } from 'vitest';
import { association, defineFactory } from './factory.js';

interface Row {
  id: number;
  email: string;
  role: 'member' | 'admin';
  teamId: number | null;
}

function stores() {
  const teams: Array<{ id: number; name: string }> = [];
  const users: Row[] = [];
  const teamFactory = defineFactory({
    fields: ({ sequence }) => ({ name: `Team ${sequence}` }),
    create: (team) => {
      const row = { id: teams.length + 1, ...team };
      teams.push(row);
      return row;
    },
  });
  const userFactory = defineFactory({
    fields: ({ sequence }) => ({
      email: `user${sequence}@example.test`,
      role: 'member' as 'member' | 'admin',
      teamId: association(teamFactory, (team) => ('id' in team ? team.id : null)),
    }),
    traits: {
      admin: { role: 'admin' as const },
      numbered: ({ sequence }) => ({ email: `numbered${sequence}@example.test` }),
    },
    create: async (user) => {
      const row: Row = { id: users.length + 1, ...user };
      users.push(row);
      return row;
    },
  });
  return { teams, users, teamFactory, userFactory };
}

describe('defineFactory', () => {
  it('builds in memory with a sequence and persists nothing', () => {
    const { users, teams, userFactory } = stores();
    const first = userFactory.build();
    const second = userFactory.build();
    expect(first).toEqual({ email: 'user1@example.test', role: 'member', teamId: null });
    expect(second.email).toBe('user2@example.test');
    expect(users).toEqual([]);
    expect(teams).toEqual([]);
  });

  it('creates through the given function, creating associations first', async () => {
    const { users, teams, userFactory } = stores();
    const created = await userFactory.create();
    expect(created).toEqual({ id: 1, email: 'user1@example.test', role: 'member', teamId: 1 });
    expect(teams).toEqual([{ id: 1, name: 'Team 1' }]);
    expect(users).toEqual([created]);
  });

  it('does not create an association the overrides already give', async () => {
    const { teams, userFactory } = stores();
    const created = await userFactory.create({ teamId: 42 });
    expect(created.teamId).toBe(42);
    expect(teams).toEqual([]);
  });

  it('applies traits in order, then overrides', () => {
    const { userFactory } = stores();
    expect(userFactory.with('admin').build().role).toBe('admin');
    expect(userFactory.with('admin').build({ role: 'member' }).role).toBe('member');
    expect(userFactory.with('numbered', 'admin').build()).toMatchObject({
      email: 'numbered3@example.test',
      role: 'admin',
    });
  });

  it('shares one sequence between a factory and its trait variants, and resets it', () => {
    const { userFactory } = stores();
    userFactory.build();
    expect(userFactory.with('admin').build().email).toBe('user2@example.test');
    userFactory.resetSequence();
    expect(userFactory.build().email).toBe('user1@example.test');
  });

  it('builds and creates lists, overrides by index', async () => {
    const { users, userFactory } = stores();
    expect(userFactory.buildList(3).map((user) => user.email)).toEqual([
      'user1@example.test',
      'user2@example.test',
      'user3@example.test',
    ]);
    const created = await userFactory.createList(2, (index) => ({ role: index === 0 ? 'admin' : 'member' }));
    expect(created.map((user) => user.role)).toEqual(['admin', 'member']);
    expect(users).toHaveLength(2);
  });

  it('names the known traits when one is unknown', () => {
    const { userFactory } = stores();
    expect(() => userFactory.with('owner' as never)).toThrowError(
      /no trait "owner"; known traits: admin, numbered/,
    );
  });

  it('says how to persist when create is missing', async () => {
    const plain = defineFactory({ fields: () => ({ a: 1 }) });
    await expect(plain.create()).rejects.toMatchObject({ code: 'ERR_TESTING_NO_CREATE' });
  });

  it('refuses a negative list count', () => {
    const plain = defineFactory({ fields: () => ({ a: 1 }) });
    expect(() => plain.buildList(-1)).toThrowError(/integer ≥ 0/);
  });
});
