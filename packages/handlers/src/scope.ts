// A request scope: one instance of every scoped service, made on first use and released in reverse
// creation order when the scope ends. Its slots array is allocated on the first scoped resolution,
// so a request that needs no scoped service costs one small object.
import { releaseAll } from './disposal.js';
import { HandlersError } from './errors.js';
import type { Plan, PlanOwner } from './plan.js';
import type { AnyToken, Registration } from './registration.js';
import type { Token } from './token.js';

/** Internal: what a scope needs from its container. */
export interface ScopeHost {
  readonly slotCount: number;
  planOf(token: AnyToken, requester: string): Plan;
  readonly plans: ReadonlyArray<Plan | undefined>;
}

type ValueOf<K> = K extends Token<infer T, 'scoped'> | Token<infer T> ? T : never;

/** One request's scoped services; ends with `dispose()` (or `await using`). */
export class Scope implements PlanOwner {
  /** Internal: scoped values by plan slot; allocated on first use. */
  slots: unknown[] | undefined = undefined;
  readonly #host: ScopeHost;
  #made: unknown[] | undefined = undefined;
  #pending: Map<number, Promise<unknown>> | undefined = undefined;
  #disposing: Promise<void> | undefined = undefined;
  #onFirstDisposable: (() => void) | undefined = undefined;

  constructor(host: ScopeHost) {
    this.#host = host;
  }

  /** Internal: the container this scope belongs to. */
  get host(): ScopeHost {
    return this.#host;
  }

  /** Whether `dispose()` was called. */
  get disposed(): boolean {
    return this.#disposing !== undefined;
  }

  /** The value of `token` in this scope (scoped: this request's instance). */
  resolve<K extends AnyToken>(token: K): ValueOf<K> {
    const plan = this.#host.plans[token.id] ?? this.#host.planOf(token, 'scope.resolve()');
    return plan.get(this) as ValueOf<K>;
  }

  /** Like `resolve`, awaiting async factories on the way. */
  resolveAsync<K extends AnyToken>(token: K): Promise<ValueOf<K>> {
    try {
      const plan = this.#host.plans[token.id] ?? this.#host.planOf(token, 'scope.resolveAsync()');
      return plan.getAsync(this) as Promise<ValueOf<K>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sets this request's value of a scoped token (the current user, a transaction) before anything
   * resolves it; values provided are not disposed by the scope.
   */
  provide<K extends AnyToken>(token: K, value: ValueOf<K>): this {
    const plan = this.#host.planOf(token, 'scope.provide()');
    if (plan.registration.lifetime !== 'scoped') {
      throw new HandlersError(
        'ERR_HANDLERS_INVALID_REGISTRATION',
        `scope.provide(${token.name}): "${token.name}" is ${plan.registration.lifetime}; only scoped tokens take a per-request value.`,
      );
    }
    const slots = this.slots ?? this.allocate();
    slots[plan.slot] = value;
    return this;
  }

  /** Internal: the slots array, made on the first scoped resolution. */
  allocate(): unknown[] {
    if (this.#disposing !== undefined) throw disposedError();
    this.slots = new Array(this.#host.slotCount);
    return this.slots;
  }

  /** Internal: stores a scoped value just made. */
  keep(slot: number, value: unknown, registration: Registration): unknown {
    (this.slots as unknown[])[slot] = value;
    this.track(value, registration);
    return value;
  }

  /**
   * Internal: calls `listener` when the scope first holds something to release — the bindings listen
   * for the request's abort only then, since reading `ctx.signal` costs an AbortController.
   */
  onFirstDisposable(listener: () => void): void {
    if (this.#made !== undefined) listener();
    else this.#onFirstDisposable = listener;
  }

  /** Internal: whether the scope made something `dispose()` will release. */
  get holdsDisposables(): boolean {
    return this.#made !== undefined;
  }

  /** Internal: remembers a value to release when the scope ends. */
  track(value: unknown, registration: Registration): void {
    if (this.#disposing !== undefined) throw disposedError();
    if (this.#made === undefined && this.#onFirstDisposable !== undefined) {
      const listener = this.#onFirstDisposable;
      this.#onFirstDisposable = undefined;
      listener();
    }
    this.#made ??= [];
    this.#made.push(value, registration);
  }

  /** Internal: one creation per slot for concurrent async resolutions. */
  pending(slot: number, create: () => Promise<unknown>): Promise<unknown> {
    this.#pending ??= new Map();
    const pending = this.#pending;
    let promise = pending.get(slot);
    if (promise === undefined) {
      promise = create().finally(() => pending.delete(slot));
      pending.set(slot, promise);
    }
    return promise;
  }

  /** Releases every disposable value this scope made, last made first; safe to call twice. */
  dispose(): Promise<void> {
    if (this.#disposing === undefined) {
      const made = this.#made;
      this.slots = undefined;
      this.#made = undefined;
      this.#disposing = made === undefined ? Promise.resolve() : releaseAll(made, 'a request scope');
    }
    return this.#disposing;
  }

  /** Same as `dispose()`. */
  close(): Promise<void> {
    return this.dispose();
  }

  /** `await using scope = container.createScope()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

function disposedError(): HandlersError {
  return new HandlersError(
    'ERR_HANDLERS_DISPOSED',
    'This request scope was disposed (the request ended or was aborted); do not keep scoped services past their request.',
  );
}
