// Typed tokens: the keys of the container. A token carries its value type (and, when declared, its
// lifetime) in its type only, so a registration or a singleton's dependencies are checked by tsc.

/** How long an instance lives: one per container, one per request scope, or one per resolution. */
export type Lifetime = 'singleton' | 'scoped' | 'transient';

declare const valueType: unique symbol;

/**
 * A typed key for a service. `L` is the lifetime the token was declared with (`scopedToken`), or
 * every lifetime when it was left open (`token`).
 */
export interface Token<T, L extends Lifetime = Lifetime> {
  /** The name errors and the graph dump show. */
  readonly name: string;
  /** Internal: the index of this token's plan in a container (global, dense, never reused). */
  readonly id: number;
  /** The lifetime the token was declared with (`scopedToken`), undefined when left open. */
  readonly lifetime: Lifetime extends L ? undefined : L;
  /** Type-only: the value type. */
  readonly [valueType]?: T;
}

/** The value type of a token. */
export type TokenValue<K> = K extends Token<infer T, Lifetime> ? T : never;

// Global and dense so a container finds a token's plan by array index, not a Map lookup
// (bench "resolve a scoped graph of 10 services").
let nextId = 0;

function create<T, L extends Lifetime>(name: string, lifetime: 'scoped' | undefined): Token<T, L> {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError('A token needs a non-empty name, e.g. token<Database>("Database").');
  }
  return Object.freeze({ name, id: nextId++, lifetime }) as Token<T, L>;
}

/**
 * A token for a service of type `T`, registered later with any lifetime.
 *
 * @example
 * const Database = token<Database>('Database');
 * container.singleton(Database, [Config], (config) => createDatabase(config.url));
 */
export function token<T>(name: string): Token<T> {
  return create<T, Lifetime>(name, undefined);
}

/**
 * A token that can only be registered as scoped (one per request): a singleton that lists it as a
 * dependency does not compile.
 */
export function scopedToken<T>(name: string): Token<T, 'scoped'> {
  return create<T, 'scoped'>(name, 'scoped');
}

/** Internal: whether `value` looks like a token made by {@link token}. */
export function isToken(value: unknown): value is Token<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Token<unknown>).name === 'string' &&
    typeof (value as Token<unknown>).id === 'number'
  );
}
