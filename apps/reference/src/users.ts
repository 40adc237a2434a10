// The users of the reference API, kept in memory: the embedded default until @plinth/db arrives.
import { z } from 'zod';

/** A user as the API returns it. */
export interface User {
  id: string;
  name: string;
  email: string;
  createdAt: string;
}

/** What a client sends to create a user. */
export const newUserSchema = z.object({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254),
});

/** An in-memory user store with sequential ids. */
export function createUserStore(seed: ReadonlyArray<Pick<User, 'name' | 'email'>> = []) {
  const users = new Map<string, User>();
  let nextId = 1;
  const store = {
    list(): User[] {
      return [...users.values()];
    },
    get(id: string): User | undefined {
      return users.get(id);
    },
    findByEmail(email: string): User | undefined {
      const wanted = email.toLowerCase();
      return store.list().find((user) => user.email.toLowerCase() === wanted);
    },
    create(input: Pick<User, 'name' | 'email'>): User {
      const user = { id: String(nextId++), ...input, createdAt: new Date().toISOString() };
      users.set(user.id, user);
      return user;
    },
  };
  for (const user of seed) store.create(user);
  return store;
}

/** The store the app reads and writes. */
export type UserStore = ReturnType<typeof createUserStore>;
