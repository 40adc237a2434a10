// A registration: how a token's value is made (factory, dependencies, lifetime, disposal), and the
// argument forms `singleton/scoped/transient` accept, checked when they are called.
import { HandlersError } from './errors.js';
import { isToken, type Lifetime, type Token } from './token.js';

/** Any token, as a dependency list holds it. */
export interface AnyToken {
  readonly name: string;
  readonly id: number;
  readonly lifetime: Lifetime | undefined;
}

/** The values of a dependency list, in order. */
export type DependencyValues<D extends readonly AnyToken[]> = {
  -readonly [K in keyof D]: D[K] extends Token<infer T, Lifetime> | Token<infer T, 'scoped'> ? T : never;
};

/** Internal: a dependency list. */
export type Dependencies = readonly AnyToken[];
/** Internal: a factory typed by its dependencies. */
export type Factory<T, D extends Dependencies> = (
  ...args: DependencyValues<D>
) => NoInfer<T> | Promise<NoInfer<T>>;

/** The type error a singleton listing a scoped token gets (a lifetime leak). */
export type LifetimeLeak = 'a singleton cannot depend on a scopedToken: make it scoped';
type HasScoped<D extends Dependencies> = true extends {
  [K in keyof D]: D[K] extends { lifetime: 'scoped' } ? true : false;
}[number]
  ? true
  : false;
/** Internal: a singleton's factory, or the LifetimeLeak type error when a dependency is scoped. */
export type SingletonFactory<T, D extends Dependencies> =
  HasScoped<D> extends true ? LifetimeLeak : Factory<T, D>;

/** Options of one registration. */
export interface RegistrationOptions<T> {
  /**
   * How to release the value when its scope or the container ends; by default its
   * `[Symbol.asyncDispose]()`, `[Symbol.dispose]()` or `close()`, whichever it has. `false`: never.
   */
  dispose?: ((value: T) => unknown) | false;
  /** The factory returns a Promise (detected for `async` functions): resolve with `resolveAsync`. */
  async?: boolean;
}

/** Internal: one registration as the container keeps it. */
export interface Registration {
  readonly token: AnyToken;
  readonly lifetime: Lifetime;
  readonly deps: readonly AnyToken[];
  readonly factory: (...args: unknown[]) => unknown;
  readonly async: boolean;
  readonly dispose: ((value: unknown) => unknown) | false | undefined;
  /** A `value()` registration: made already, never disposed by the container. */
  readonly isValue: boolean;
}

const AsyncFunction = (async () => {}).constructor;

function fail(token: AnyToken | undefined, message: string): never {
  const name = token && typeof token.name === 'string' ? `"${token.name}"` : 'a token';
  throw new HandlersError('ERR_HANDLERS_INVALID_REGISTRATION', `Registration of ${name}: ${message}`);
}

/** Internal: reads `(token, factory, options?)` or `(token, deps, factory, options?)`. */
export function readRegistration(lifetime: Lifetime, args: readonly unknown[]): Registration {
  const [token, second, third, fourth] = args;
  if (!isToken(token)) {
    throw new HandlersError(
      'ERR_HANDLERS_INVALID_TOKEN',
      `${lifetime}() takes a token made by token<T>("Name") first, got ${typeof token}.`,
    );
  }
  const withDeps = Array.isArray(second);
  const deps = (withDeps ? second : []) as unknown[];
  const factory = withDeps ? third : second;
  const options = ((withDeps ? fourth : third) ?? {}) as RegistrationOptions<unknown>;
  if (typeof factory !== 'function') fail(token, 'the factory must be a function (deps) => value.');
  deps.forEach((dep, index) => {
    if (!isToken(dep))
      fail(token, `dependency #${index} is not a token; list tokens, e.g. [Config, Database].`);
  });
  if (token.lifetime !== undefined && token.lifetime !== lifetime) {
    fail(token, `it was declared ${token.lifetime} (scopedToken) and cannot be registered as ${lifetime}.`);
  }
  if (options.dispose !== undefined && options.dispose !== false && typeof options.dispose !== 'function') {
    fail(token, 'the dispose option must be a function or false.');
  }
  return {
    token,
    lifetime,
    deps: deps as AnyToken[],
    factory: factory as (...args: unknown[]) => unknown,
    async: options.async === true || factory instanceof AsyncFunction,
    dispose: options.dispose as Registration['dispose'],
    isValue: false,
  };
}

/** Internal: a `value()` registration, a singleton that is made already. */
export function valueRegistration(token: unknown, value: unknown): Registration {
  if (!isToken(token)) {
    throw new HandlersError(
      'ERR_HANDLERS_INVALID_TOKEN',
      'value() takes a token made by token<T>("Name") first.',
    );
  }
  if (token.lifetime === 'scoped')
    fail(token, 'it was declared scoped; provide per-request values with scope.provide().');
  return {
    token,
    lifetime: 'singleton',
    deps: [],
    factory: () => value,
    async: false,
    dispose: false,
    isValue: true,
  };
}
