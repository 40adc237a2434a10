// The in-memory runner for unit tests: a key-value store whose transactions buffer their writes
// and apply them at commit, and whose savepoints are one more buffer on top. Same contract as the
// drizzle runner (one suite checks both), no database needed.
import type { TransactionRunner } from '../transaction-runner.js';

/** The handle of the memory runner: a key-value store, the committed one or a transaction's view. */
export interface MemoryStore {
  get<T = unknown>(key: string): T | undefined;
  has(key: string): boolean;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The keys visible from this handle, sorted. */
  keys(): string[];
}

const deleted = Symbol('deleted');
type Slot = unknown | typeof deleted;

/** A view over `base` whose writes stay in `writes` until they are applied to `base`. */
function overlay(base: MemoryStore): MemoryStore & { apply(): void } {
  const writes = new Map<string, Slot>();
  return {
    get: <T>(key: string) => (writes.has(key) ? slotValue<T>(writes.get(key)) : base.get<T>(key)),
    has: (key) => (writes.has(key) ? writes.get(key) !== deleted : base.has(key)),
    set: (key, value) => void writes.set(key, structuredClone(value)),
    delete: (key) => void writes.set(key, deleted),
    keys() {
      const keys = new Set(base.keys());
      for (const [key, value] of writes) value === deleted ? keys.delete(key) : keys.add(key);
      return [...keys].sort();
    },
    apply() {
      for (const [key, value] of writes) value === deleted ? base.delete(key) : base.set(key, value);
    },
  };
}

function slotValue<T>(slot: Slot): T | undefined {
  return slot === deleted ? undefined : (structuredClone(slot) as T);
}

function committedStore(): MemoryStore {
  const data = new Map<string, unknown>();
  return {
    get: <T>(key: string) => (data.has(key) ? (structuredClone(data.get(key)) as T) : undefined),
    has: (key) => data.has(key),
    set: (key, value) => void data.set(key, structuredClone(value)),
    delete: (key) => void data.delete(key),
    keys: () => [...data.keys()].sort(),
  };
}

/**
 * A TransactionRunner over an in-memory key-value store, for unit tests of services. Values are
 * copied in and out (structuredClone), so a caller cannot change stored state by mutating an object.
 * Isolation is read committed without locks: concurrent transactions never block each other.
 *
 * @example
 * const transactions = createTransactions(memoryRunner());
 * await transactions.transactional(async () => transactions.db().set('order:1', { total: 3 }));
 */
export function memoryRunner(): TransactionRunner<MemoryStore> {
  const client = committedStore();
  const run = async <T>(base: MemoryStore, fn: (tx: MemoryStore) => Promise<T>) => {
    const view = overlay(base);
    const value = await fn(view);
    view.apply(); // commit (or release the savepoint); a rejection above left `base` untouched
    return value;
  };
  return {
    name: 'memory',
    client,
    concurrent: true,
    begin: (fn) => run(client, fn),
    savepoint: (tx, fn) => run(tx, fn),
  };
}
