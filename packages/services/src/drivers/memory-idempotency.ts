// Idempotent commands on the memory runner, for unit tests of services that use them: the same
// contract as createIdempotency() on PostgreSQL/PGlite (one suite checks both). The key entry is
// written through the ambient transaction, so it commits or rolls back with the command; a
// concurrent duplicate in this process waits for the call in flight.
import { assertNumber, ServicesError } from '../errors.js';
import { type Idempotency, type IdempotencyOptions, validateIdempotencyKey } from '../idempotency-key.js';
import { parseResult, serializeResult } from '../stored-result.js';
import type { Transactions } from '../transactions.js';
import type { MemoryStore } from './memory.js';

interface Entry {
  fingerprint: string | null;
  json: string;
  expiresAt: number;
}

/** Waits for the call in flight, at most `timeout` ms; its failure is not ours (we run then). */
async function waitFor(running: Promise<unknown>, timeout: number, key: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeout);
  });
  const outcome = await Promise.race([
    running.then(
      () => 'done',
      () => 'done',
    ),
    expired,
  ]);
  clearTimeout(timer);
  if (outcome === 'expired') {
    throw new ServicesError(
      'ERR_SERVICES_IDEMPOTENCY_IN_PROGRESS',
      `A request with idempotency key "${key}" is still being processed; retry it later.`,
      { status: 409 },
    );
  }
}

/**
 * Idempotent commands over a memory runner's store, with the behaviour of createIdempotency().
 *
 * @example
 * const transactions = createTransactions(memoryRunner());
 * const idempotency = memoryIdempotency(transactions);
 */
export function memoryIdempotency(
  transactions: Transactions<MemoryStore>,
  options: IdempotencyOptions = {},
): Idempotency {
  const { ttl = 86_400_000, waitTimeout = 10_000 } = options;
  assertNumber('ttl', ttl, 1);
  assertNumber('waitTimeout', waitTimeout, 1);
  const prefix = `${options.table ?? 'plinth_idempotency'}:`;
  const inFlight = new Map<string, Promise<unknown>>();

  function answer(entry: Entry, key: string, fingerprint: string | null): unknown {
    if (fingerprint !== null && entry.fingerprint !== fingerprint) {
      throw new ServicesError(
        'ERR_SERVICES_IDEMPOTENCY_KEY_REUSED',
        `The idempotency key "${key}" was already used for a different request; send a new key for a new request.`,
        { status: 422 },
      );
    }
    return parseResult(entry.json);
  }

  return {
    async run(key, command, runOptions = {}) {
      validateIdempotencyKey(key);
      const keyTtl = runOptions.ttl ?? ttl;
      assertNumber('ttl', keyTtl, 1);
      const fingerprint = runOptions.fingerprint ?? null;
      for (let running = inFlight.get(key); running; running = inFlight.get(key)) {
        await waitFor(running, waitTimeout, key);
      }
      const attempt = transactions.transactional(async () => {
        const db = transactions.db();
        const entry = db.get<Entry>(prefix + key);
        if (entry && entry.expiresAt > Date.now()) return answer(entry, key, fingerprint);
        const json = serializeResult(key, await command());
        db.set(prefix + key, { fingerprint, json, expiresAt: Date.now() + keyTtl } satisfies Entry);
        return parseResult(json);
      });
      inFlight.set(key, attempt);
      try {
        return (await attempt) as never;
      } finally {
        if (inFlight.get(key) === attempt) inFlight.delete(key);
      }
    },
    async purgeExpired() {
      const store = transactions.runner.client;
      const expired = store
        .keys()
        .filter((key) => key.startsWith(prefix) && (store.get<Entry>(key)?.expiresAt ?? 0) <= Date.now());
      for (const key of expired) store.delete(key);
      return expired.length;
    },
    async install() {},
  };
}
