// The container: registrations by typed token, compiled into resolution plans on first use (or by
// `compile()` / `start()`, so every wiring mistake shows before the first request), request scopes
// carried by AsyncLocalStorage, child containers for test overrides, and disposal in reverse order.
import { releaseAll } from './disposal.js';
import { HandlersError, leakError, missingError } from './errors.js';
import { renderGraph } from './graph.js';
import { Plan, type PlanOwner } from './plan.js';
import {
  type AnyToken,
  type Dependencies,
  type Factory,
  type Registration,
  type RegistrationOptions,
  readRegistration,
  type SingletonFactory,
  valueRegistration,
} from './registration.js';
import { disposeOnAbort, scopeStorage } from './request-scope.js';
import { Scope, type ScopeHost } from './scope.js';
import type { Token } from './token.js';

type ValueOf<K> = K extends Token<infer T, 'scoped'> | Token<infer T> ? T : never;

/** Options of {@link createContainer}. */
export interface ContainerOptions {
  /** Called when releasing a request scope fails after its response left; default `console.error`. */
  onDisposeError?: (error: unknown) => void;
}

/** Options of `container.run()`. */
export interface RunOptions {
  /** Disposes the scope as soon as it aborts (the client went away), not only when `fn` settles. */
  signal?: AbortSignal;
}

/** A dependency-injection container; see {@link createContainer}. */
export class Container implements PlanOwner, ScopeHost {
  readonly #parent: Container | undefined;
  readonly #own = new Map<number, Registration>();
  readonly #onDisposeError: (error: unknown) => void;
  #plans: Array<Plan | undefined> = [];
  #slotCount: number;
  #compiled = false;
  #made: unknown[] = [];
  #disposing: Promise<void> | undefined = undefined;

  constructor(options: ContainerOptions = {}, parent?: Container) {
    if (options.onDisposeError !== undefined && typeof options.onDisposeError !== 'function') {
      throw new HandlersError(
        'ERR_HANDLERS_INVALID_OPTION',
        'onDisposeError must be a function (error) => void.',
      );
    }
    this.#parent = parent;
    this.#onDisposeError =
      options.onDisposeError ??
      (parent === undefined ? undefined : parent.#onDisposeError) ??
      ((error) => console.error(error));
    this.#slotCount = parent === undefined ? 0 : parent.compile().#slotCount;
  }

  /** Registers one instance for the container's life. */
  singleton<T>(token: Token<T>, factory: Factory<T, []>, options?: RegistrationOptions<T>): this;
  singleton<T, const D extends Dependencies>(
    token: Token<T>,
    deps: D,
    factory: SingletonFactory<T, D>,
    options?: RegistrationOptions<T>,
  ): this;
  singleton(...args: unknown[]): this {
    return this.#register(readRegistration('singleton', args));
  }

  /** Registers one instance per request scope. */
  scoped<T>(
    token: Token<T> | Token<T, 'scoped'>,
    factory: Factory<T, []>,
    options?: RegistrationOptions<T>,
  ): this;
  scoped<T, const D extends Dependencies>(
    token: Token<T> | Token<T, 'scoped'>,
    deps: D,
    factory: Factory<T, D>,
    options?: RegistrationOptions<T>,
  ): this;
  scoped(...args: unknown[]): this {
    return this.#register(readRegistration('scoped', args));
  }

  /** Registers a new instance for every resolution. */
  transient<T>(token: Token<T>, factory: Factory<T, []>, options?: RegistrationOptions<T>): this;
  transient<T, const D extends Dependencies>(
    token: Token<T>,
    deps: D,
    factory: Factory<T, D>,
    options?: RegistrationOptions<T>,
  ): this;
  transient(...args: unknown[]): this {
    return this.#register(readRegistration('transient', args));
  }

  /** Registers a ready value (a singleton the container does not dispose). */
  value<T>(token: Token<T>, value: NoInfer<T>): this {
    return this.#register(valueRegistration(token, value));
  }

  #register(registration: Registration): this {
    const { token } = registration;
    if (this.#compiled || this.#disposing !== undefined) {
      throw new HandlersError(
        'ERR_HANDLERS_SEALED',
        `Cannot register "${token.name}": this container has already resolved or compiled; register everything first, or override in container.child().`,
      );
    }
    if (this.#own.has(token.id)) {
      throw new HandlersError(
        'ERR_HANDLERS_DUPLICATE_REGISTRATION',
        `"${token.name}" is registered twice in this container; to replace it for tests, register it in container.child().`,
      );
    }
    if (registration.lifetime === 'singleton') this.#refuseScopedDependency(registration);
    this.#own.set(token.id, registration);
    return this;
  }

  // At registration, for dependencies whose lifetime is known already; compile() checks the rest.
  #refuseScopedDependency(registration: Registration): void {
    for (const dep of registration.deps) {
      const known = dep.lifetime ?? this.#lookup(dep)?.lifetime;
      if (known === 'scoped') throw leakError(registration.token.name, [dep.name]);
    }
  }

  #lookup(token: AnyToken): Registration | undefined {
    return this.#own.get(token.id) ?? (this.#parent === undefined ? undefined : this.#parent.#lookup(token));
  }

  #registrations(): Registration[] {
    const inherited = (this.#parent === undefined ? [] : this.#parent.#registrations()).filter(
      (registration) => !this.#own.has(registration.token.id),
    );
    return [...inherited, ...this.#own.values()];
  }

  /** Internal: plans by token id, for scopes. */
  get plans(): ReadonlyArray<Plan | undefined> {
    return this.#plans;
  }

  /** Internal: how many scoped slots a scope of this container holds. */
  get slotCount(): number {
    return this.#slotCount;
  }

  /**
   * Checks the whole graph and compiles its resolution plans: a missing registration (naming who
   * asked), a cycle (the whole path) or a lifetime leak throws here, before the first request.
   * Called by the first resolution and by the handler bindings; registering afterwards throws.
   */
  compile(): this {
    if (this.#compiled) return this;
    for (const registration of this.#registrations()) this.#plan(registration.token, []);
    this.#compiled = true;
    return this;
  }

  /** Internal: the plan of `token`, compiling first; `requester` names who asked when it is missing. */
  planOf(token: AnyToken, requester: string): Plan {
    this.compile();
    const plan = this.#plans[token.id];
    if (plan !== undefined) return plan;
    return this.#plan(token, [], requester);
  }

  #plan(token: AnyToken, path: readonly AnyToken[], requester?: string): Plan {
    const existing = this.#plans[token.id];
    if (existing !== undefined) return existing;
    const start = path.indexOf(token);
    if (start !== -1) {
      throw new HandlersError(
        'ERR_HANDLERS_CYCLE',
        `Dependency cycle: ${[...path.slice(start), token].map((step) => step.name).join(' → ')}. Break it by moving the shared part into a service of its own.`,
      );
    }
    const registration = this.#lookup(token);
    if (registration === undefined) throw missingError(token, path, requester);
    const nextPath = [...path, token];
    const deps = registration.deps.map((dep) => this.#plan(dep, nextPath));
    const plan = this.#reuseParentPlan(token, deps) ?? this.#newPlan(registration, deps);
    this.#plans[token.id] = plan;
    return plan;
  }

  // A child shares the parent's plan (and so its singletons) unless the token or something it
  // depends on was overridden in the child.
  #reuseParentPlan(token: AnyToken, deps: readonly Plan[]): Plan | undefined {
    const parent = this.#parent;
    if (parent === undefined || this.#own.has(token.id)) return undefined;
    const inherited = parent.#plans[token.id];
    if (inherited === undefined) return undefined;
    return deps.every((dep, index) => dep === inherited.deps[index]) ? inherited : undefined;
  }

  #newPlan(registration: Registration, deps: Plan[]): Plan {
    if (registration.lifetime === 'singleton') {
      const leak = deps.find((dep) => dep.scopedVia !== undefined);
      if (leak?.scopedVia !== undefined) throw leakError(registration.token.name, leak.scopedVia);
    }
    const slot = registration.lifetime === 'scoped' ? this.#slotCount++ : -1;
    return new Plan(registration, deps, this, slot);
  }

  /** Compiles, then makes every singleton (awaiting async factories) so the first request waits for nothing. */
  async start(): Promise<void> {
    this.compile();
    for (const registration of this.#registrations()) {
      const plan = this.#plans[registration.token.id] as Plan;
      if (registration.lifetime === 'singleton') await plan.getAsync(undefined);
    }
  }

  /** The value of a singleton or transient token; a scoped one from the current request scope. */
  resolve<K extends AnyToken>(token: K): ValueOf<K> {
    const plan = this.#plans[token.id] ?? this.planOf(token, 'container.resolve()');
    if (plan.scopedVia === undefined) return plan.get(undefined) as ValueOf<K>;
    const scope = this.currentScope;
    if (scope === undefined) throw plan.noScope();
    return plan.get(scope) as ValueOf<K>;
  }

  /** Like `resolve`, awaiting async factories on the way. */
  async resolveAsync<K extends AnyToken>(token: K): Promise<ValueOf<K>> {
    const plan = this.#plans[token.id] ?? this.planOf(token, 'container.resolveAsync()');
    if (plan.scopedVia === undefined) return (await plan.getAsync(undefined)) as ValueOf<K>;
    const scope = this.currentScope;
    if (scope === undefined) throw plan.noScope();
    return (await plan.getAsync(scope)) as ValueOf<K>;
  }

  /** A new request scope; end it with `dispose()` (or `await using`). */
  createScope(): Scope {
    if (this.#disposing !== undefined) {
      throw new HandlersError(
        'ERR_HANDLERS_DISPOSED',
        'This container was disposed; create scopes before closing it.',
      );
    }
    if (!this.#compiled) this.compile();
    return new Scope(this);
  }

  /** The request scope of the current async context, when it belongs to this container. */
  get currentScope(): Scope | undefined {
    const scope = scopeStorage.getStore();
    return scope !== undefined && scope.host === this ? scope : undefined;
  }

  /**
   * Runs `fn` in a new request scope (visible to `container.resolve()` through AsyncLocalStorage)
   * and disposes the scope when `fn` settles, or as soon as `signal` aborts.
   *
   * @example
   * await container.run(async (scope) => scope.resolve(UserService).list());
   */
  async run<R>(fn: (scope: Scope) => R | Promise<R>, options: RunOptions = {}): Promise<R> {
    const scope = this.createScope();
    const stop = disposeOnAbort(scope, options.signal, this.#onDisposeError);
    try {
      return await scopeStorage.run(scope, fn, scope);
    } finally {
      stop();
      await scope.dispose();
    }
  }

  /** Internal: reports a disposal failure that has no caller left to throw to. */
  reportDisposeError(error: unknown): void {
    this.#onDisposeError(error);
  }

  /** A child container: registrations here override the parent's for the child only. */
  child(options: ContainerOptions = {}): Container {
    return new Container(options, this);
  }

  /** The dependency graph, as indented text or a Mermaid flowchart. */
  graph(format: 'text' | 'mermaid' = 'text'): string {
    this.compile();
    return renderGraph(
      this.#registrations().map((registration) => ({
        registration,
        overridden:
          this.#own.has(registration.token.id) &&
          this.#parent !== undefined &&
          this.#parent.#lookup(registration.token) !== undefined,
      })),
      format,
    );
  }

  /** Internal: remembers a singleton (or a transient made outside a scope) to release at the end. */
  track(value: unknown, registration: Registration): void {
    this.#made.push(value, registration);
  }

  /** Releases every singleton this container made, last made first; safe to call twice. */
  dispose(): Promise<void> {
    this.#disposing ??= releaseAll(this.#made.splice(0), 'the container');
    return this.#disposing;
  }

  /** Same as `dispose()`. */
  close(): Promise<void> {
    return this.dispose();
  }

  /** `await using container = createContainer()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/**
 * A dependency-injection container: typed tokens, factories with their dependencies, lifetimes
 * singleton / scoped / transient, no decorators.
 *
 * @example
 * const Config = token<{ url: string }>('Config');
 * const Users = token<UserService>('Users');
 * const container = createContainer()
 *   .value(Config, { url: process.env.DATABASE_URL ?? '' })
 *   .scoped(Users, [Config], (config) => new UserService(config.url));
 */
export function createContainer(options?: ContainerOptions): Container {
  return new Container(options);
}
