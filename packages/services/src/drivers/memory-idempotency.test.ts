// memoryIdempotency passes the contract of idempotent commands (createIdempotency passes it on
// PostgreSQL and PGlite in test/idempotency.test.ts).
import { describe, it } from 'vitest';
import { testIdempotency } from '../testing.js';
import { createTransactions } from '../transactions.js';
import { memoryRunner } from './memory.js';
import { memoryIdempotency } from './memory-idempotency.js';

testIdempotency(
  'memory',
  async () => {
    const transactions = createTransactions(memoryRunner());
    return {
      idempotency: memoryIdempotency(transactions, { waitTimeout: 100 }),
      transactions,
      write: async (store, key, value) => store.set(key, value),
      read: async (store, key) => store.get<string>(key),
      async expire(key) {
        const slot = `plinth_idempotency:${key}`;
        const entry = transactions.runner.client.get<{ expiresAt: number }>(slot);
        transactions.runner.client.set(slot, { ...entry, expiresAt: 0 });
      },
    };
  },
  { describe, it },
);
