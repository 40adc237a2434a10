// Factories: test data defined once, then built in memory or created through the user's own
// persistence function; sequences, traits, overrides, associations and lists (in fishery's spirit).
import { TestingError } from './errors.js';

const kAssociation = Symbol.for('@plinth/testing.Association');

/** A field that comes from another factory: built with build(), created with create(). */
export interface Association<V> {
  readonly [kAssociation]: true;
  readonly build: () => V;
  readonly create: () => Promise<V>;
}

/** What a factory's `fields` returns for an object of type T: each value, or an association to it. */
export type Fields<T> = { [K in keyof T]: T[K] | Association<T[K]> };

/** The plain object type a `fields` result stands for, associations resolved. */
export type Resolved<R> = { [K in keyof R]: Unwrap<R[K]> };

/** A field value with any association replaced by what it resolves to. */
export type Unwrap<X> = X extends Association<infer V> ? V : X;

/** What `fields` and function traits receive. */
export interface FactoryContext {
  /** 1, 2, 3 … per factory (shared by its `with()` variants), reset by resetSequence(). */
  sequence: number;
}

/** Overrides for one object: plain values, or a function of its index in a list. */
export type Overrides<T> = Partial<T> | ((index: number) => Partial<T>);

/** What defineFactory() takes. */
export interface FactoryDefinition<R extends object, Traits extends string, Created> {
  /** The default fields; called once per object with a fresh sequence number. */
  fields: (context: FactoryContext) => R;
  /** Named variations applied before overrides, in the order given. */
  traits?: Record<Traits, Partial<R> | ((context: FactoryContext) => Partial<R>)>;
  /** Persists one built object and returns the stored row (e.g. a drizzle insert … returning()). */
  create?: (attributes: Resolved<R>) => Created | Promise<Created>;
}

/** A factory made by defineFactory(). */
export interface Factory<T, Traits extends string, Created> {
  /** One object in memory: defaults, then traits, then overrides; associations are built. */
  build(overrides?: Partial<T>): T;
  /** `count` objects in memory; function overrides receive the index. */
  buildList(count: number, overrides?: Overrides<T>): T[];
  /** One object persisted through `create`; associations are created first. */
  create(overrides?: Partial<T>): Promise<Created>;
  /** `count` objects persisted one after another, in order. */
  createList(count: number, overrides?: Overrides<T>): Promise<Created[]>;
  /** The same factory with these traits applied (sharing its sequence). */
  with(...traits: Traits[]): Factory<T, Traits, Created>;
  /** Restarts the sequence at 1. */
  resetSequence(): void;
}

/** Marks a field as coming from another factory, optionally picking part of it (such as its id). */
export function association<A, C, V = C>(
  factory: Factory<A, string, C>,
  pick?: (value: A | C) => V,
): Association<V> {
  const select = pick ?? ((value: A | C) => value as unknown as V);
  return {
    [kAssociation]: true,
    build: () => select(factory.build()),
    create: async () => select(await factory.create()),
  };
}

function isAssociation(value: unknown): value is Association<unknown> {
  return typeof value === 'object' && value !== null && kAssociation in value;
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      `factory: a list count must be an integer ≥ 0, got ${String(count)}.`,
    );
  }
}

function overridesAt<T>(overrides: Overrides<T> | undefined, index: number): Partial<T> | undefined {
  return typeof overrides === 'function' ? overrides(index) : overrides;
}

function makeFactory<R extends object, Traits extends string, Created>(
  definition: FactoryDefinition<R, Traits, Created>,
  counter: { next: number },
  applied: readonly Traits[],
): Factory<Resolved<R>, Traits, Created> {
  type T = Resolved<R>;

  // Defaults, traits, overrides: associations stay unresolved until build or create.
  function layer(overrides: Partial<T> | undefined): Record<string, unknown> {
    const context: FactoryContext = { sequence: counter.next++ };
    const fields: Record<string, unknown> = { ...(definition.fields(context) as Record<string, unknown>) };
    for (const name of applied) {
      const trait = definition.traits?.[name];
      Object.assign(fields, typeof trait === 'function' ? trait(context) : trait);
    }
    return Object.assign(fields, overrides);
  }

  function build(overrides?: Partial<T>): T {
    const fields = layer(overrides);
    for (const [key, value] of Object.entries(fields)) if (isAssociation(value)) fields[key] = value.build();
    return fields as T;
  }

  async function create(overrides?: Partial<T>): Promise<Created> {
    if (!definition.create) {
      throw new TestingError(
        'ERR_TESTING_NO_CREATE',
        'factory: create() needs a `create` function in defineFactory({ fields, create }) that persists one object, e.g. (row) => db.insert(table).values(row).returning().then((rows) => rows[0]).',
      );
    }
    const fields = layer(overrides);
    for (const [key, value] of Object.entries(fields))
      if (isAssociation(value)) fields[key] = await value.create();
    return definition.create(fields as T);
  }

  return {
    build,
    create,
    buildList(count, overrides) {
      checkCount(count);
      return Array.from({ length: count }, (_, index) => build(overridesAt(overrides, index)));
    },
    async createList(count, overrides) {
      checkCount(count);
      const created: Created[] = [];
      for (let index = 0; index < count; index++) created.push(await create(overridesAt(overrides, index)));
      return created;
    },
    with(...traits) {
      for (const name of traits) {
        if (!definition.traits || !Object.hasOwn(definition.traits, name)) {
          const known = Object.keys(definition.traits ?? {});
          throw new TestingError(
            'ERR_TESTING_UNKNOWN_TRAIT',
            `factory: no trait "${String(name)}"; ${known.length ? `known traits: ${known.join(', ')}` : 'this factory defines no traits'}.`,
          );
        }
      }
      return makeFactory(definition, counter, [...applied, ...traits]);
    },
    resetSequence() {
      counter.next = 1;
    },
  };
}

/**
 * Defines a factory once; its type comes from `fields` (associations resolved) and `create`.
 *
 * @example
 * const users = defineFactory({
 *   fields: ({ sequence }) => ({ email: `user${sequence}@example.test`, role: 'member' as 'member' | 'admin' }),
 *   traits: { admin: { role: 'admin' } },
 *   create: async (user) => (await db.insert(usersTable).values(user).returning())[0]!,
 * });
 * const admin = await users.with('admin').create({ email: 'root@example.test' });
 */
export function defineFactory<R extends object, Traits extends string = never, Created = Resolved<R>>(
  definition: FactoryDefinition<R, Traits, Created>,
): Factory<Resolved<R>, Traits, Created> {
  if (typeof definition?.fields !== 'function') {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      'defineFactory: `fields` must be a function ({ sequence }) => the default object.',
    );
  }
  return makeFactory(definition, { next: 1 }, []);
}
