// Ambient transactions: transactional(fn) opens (or joins) a transaction that every repository call
// inside fn finds through AsyncLocalStorage, at any depth, without a `tx` parameter. Propagation
// decides what a nested call does; events and hooks recorded inside run only after the commit.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ServicesError } from './errors.js';
import { createEventBus, type EventBus, type EventHandler } from './event-bus.js';
import type { TransactionOptions, TransactionRunner } from './transaction-runner.js';
import {
  type AfterCommitHook,
  type DomainEvent,
  type Level,
  mergeIntoParent,
  openLevel,
} from './unit-of-work.js';

/**
 * What a `transactional()` call does when a transaction is (or is not) already open:
 * - `required` (default): join it, else open one.
 * - `requiresNew`: always open a new, independent transaction (the open one is untouched).
 * - `mandatory`: join it, else throw `ERR_SERVICES_NO_TRANSACTION`.
 * - `never`: run without a transaction, and throw `ERR_SERVICES_TRANSACTION_EXISTS` if one is open.
 * - `nested`: run under a savepoint of it (a failure undoes only this call's writes), else open one.
 */
export type Propagation = 'required' | 'requiresNew' | 'mandatory' | 'never' | 'nested';

/** Options of one `transactional()` call. Isolation and access mode apply when a new transaction opens. */
export interface TransactionalOptions extends TransactionOptions {
  propagation?: Propagation;
}

/** Options of {@link createTransactions}. */
export interface TransactionsOptions {
  /** Called when an after-commit event handler or hook throws (the commit stands). Default: console.error. */
  onAfterCommitError?: (error: ServicesError) => void;
}

/** Ambient transactions over one runner; see {@link createTransactions}. */
export interface Transactions<Handle> {
  /** Runs `fn` in a transaction according to `options.propagation` (default `required`). */
  transactional<T>(fn: () => Promise<T>, options?: TransactionalOptions): Promise<T>;
  /** `fn` wrapped so that every call runs in `transactional()` with these options. */
  wrap<Args extends unknown[], T>(
    fn: (...args: Args) => Promise<T>,
    options?: TransactionalOptions,
  ): (...args: Args) => Promise<T>;
  /** The handle repositories query through: the ambient transaction's, else the runner's client. */
  db(): Handle;
  /** Whether a transaction is open in this async context. */
  inTransaction(): boolean;
  /** Records a domain event, dispatched to subscribers after the top-level commit, never after a rollback. */
  publish(event: DomainEvent): void;
  /** Runs `hook` after the top-level commit (never after a rollback). */
  afterCommit(hook: AfterCommitHook): void;
  /** Subscribes to committed events of `type` (`'*'` for all); returns an unsubscribe function. */
  subscribe<E extends DomainEvent = DomainEvent>(type: E['type'] | '*', handler: EventHandler<E>): () => void;
  /** The runner underneath. */
  readonly runner: TransactionRunner<Handle>;
}

const propagations: readonly Propagation[] = ['required', 'requiresNew', 'mandatory', 'never', 'nested'];

/**
 * Ambient transactions over `runner` (drizzleRunner(db), memoryRunner(), or your own).
 *
 * @example
 * const transactions = createTransactions(drizzleRunner(db));
 * const orders = { add: (order: NewOrder) => transactions.db().insert(ordersTable).values(order) };
 * await transactions.transactional(async () => {
 *   await orders.add(order); // in the transaction, no tx passed
 *   transactions.publish({ type: 'order.placed', payload: { id: order.id } });
 * });
 */
export function createTransactions<Handle>(
  runner: TransactionRunner<Handle>,
  options: TransactionsOptions = {},
): Transactions<Handle> {
  validateRunner(runner);
  const storage = new AsyncLocalStorage<Level<Handle>>();
  const bus = createEventBus(options.onAfterCommitError);

  // A timer or callback started inside a transaction keeps its store after the transaction ended;
  // the innermost level still open is the one it is in (none: outside any transaction).
  const current = () => {
    let level = storage.getStore();
    while (level !== undefined && !level.open) level = level.parent;
    return level;
  };
  const requireLevel = (what: string) => {
    const level = current();
    if (level === undefined) {
      throw new ServicesError(
        'ERR_SERVICES_NO_TRANSACTION',
        `${what} needs an open transaction; call it inside transactional().`,
      );
    }
    return level;
  };

  async function transactional<T>(fn: () => Promise<T>, callOptions: TransactionalOptions = {}) {
    if (typeof fn !== 'function') {
      throw new ServicesError(
        'ERR_SERVICES_INVALID_OPTION',
        `transactional() needs a function, got ${typeof fn}.`,
      );
    }
    const { propagation = 'required', ...engine } = callOptions;
    if (!propagations.includes(propagation)) {
      throw new ServicesError(
        'ERR_SERVICES_INVALID_OPTION',
        `propagation must be one of ${propagations.join(', ')}; got ${String(propagation)}.`,
      );
    }
    const level = current();
    switch (propagation) {
      case 'required':
        return level ? join(level, fn) : begin(runner, storage, bus, fn, engine);
      case 'mandatory':
        return join(requireLevel("transactional() with propagation 'mandatory'"), fn);
      case 'never':
        if (level) {
          throw new ServicesError(
            'ERR_SERVICES_TRANSACTION_EXISTS',
            "transactional() with propagation 'never' ran inside a transaction; call it outside one, or use another propagation.",
          );
        }
        return fn();
      case 'nested':
        return level ? savepoint(runner, storage, level, fn) : begin(runner, storage, bus, fn, engine);
      case 'requiresNew':
        if (level && !runner.concurrent) {
          throw new ServicesError(
            'ERR_SERVICES_UNSUPPORTED_PROPAGATION',
            `The ${runner.name} runner holds one transaction at a time, so 'requiresNew' inside a transaction would wait for itself; use 'nested' or run it after the transaction.`,
          );
        }
        return storage.exit(() => begin(runner, storage, bus, fn, engine));
    }
  }

  return {
    runner,
    transactional,
    wrap:
      (fn, wrapOptions) =>
      (...args) =>
        transactional(() => fn(...args), wrapOptions),
    db: () => current()?.handle ?? runner.client,
    inTransaction: () => current() !== undefined,
    publish(event) {
      requireLevel('publish()').events.push(event);
    },
    afterCommit(hook) {
      requireLevel('afterCommit()').hooks.push(hook);
    },
    subscribe: (type, handler) => bus.subscribe(type, handler as EventHandler),
  };
}

function validateRunner(runner: TransactionRunner<unknown>): void {
  const missing = (['begin', 'savepoint'] as const).filter((name) => typeof runner?.[name] !== 'function');
  if (missing.length > 0 || runner.client === undefined) {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      `createTransactions() needs a TransactionRunner (begin, savepoint, client), e.g. drizzleRunner(db) or memoryRunner(); this one lacks ${[...missing, ...(runner?.client === undefined ? ['client'] : [])].join(', ')}.`,
    );
  }
}

/** Joins the open level: a failure marks it rollback-only, since its work is now incomplete. */
async function join<Handle, T>(level: Level<Handle>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    level.rollbackCause ??= { error };
    throw error;
  }
}

function refuseRollbackOnly(level: Level<unknown>): void {
  if (level.rollbackCause === undefined) return;
  throw new ServicesError(
    'ERR_SERVICES_ROLLBACK_ONLY',
    "A call that joined this transaction failed, so it was rolled back although its function returned; let the error propagate, return a Result for expected failures, or give the inner call propagation 'nested'.",
    { cause: level.rollbackCause.error },
  );
}

async function begin<Handle, T>(
  runner: TransactionRunner<Handle>,
  storage: AsyncLocalStorage<Level<Handle>>,
  bus: EventBus,
  fn: () => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  let committed: Level<Handle> | undefined;
  const value = await runner.begin(async (handle) => {
    const level = openLevel(handle);
    try {
      const result = await storage.run(level, fn);
      refuseRollbackOnly(level);
      committed = level;
      return result;
    } finally {
      level.open = false;
    }
  }, options);
  // After the commit and outside any transaction: handlers that write open their own.
  if (committed && (committed.events.length > 0 || committed.hooks.length > 0)) {
    const { events, hooks } = committed;
    await storage.exit(() => bus.dispatch(events, hooks));
  }
  return value;
}

async function savepoint<Handle, T>(
  runner: TransactionRunner<Handle>,
  storage: AsyncLocalStorage<Level<Handle>>,
  parent: Level<Handle>,
  fn: () => Promise<T>,
): Promise<T> {
  let released: Level<Handle> | undefined;
  const value = await runner.savepoint(parent.handle, async (handle) => {
    const level = openLevel(handle, parent);
    try {
      const result = await storage.run(level, fn);
      refuseRollbackOnly(level);
      released = level;
      return result;
    } finally {
      level.open = false;
    }
  });
  if (released) mergeIntoParent(released);
  return value;
}
