import { describe, expect, it } from 'vitest';
import { createContainer } from './container.js';
import { HandlersError } from './errors.js';
import { scopedToken, token } from './token.js';

class Counter {
  static made = 0;
  readonly n = ++Counter.made;
}

function catchError(fn: () => unknown): HandlersError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HandlersError);
    return error as HandlersError;
  }
  throw new Error('expected a throw');
}

describe('lifetimes', () => {
  const Single = token<Counter>('Single');
  const PerRequest = token<Counter>('PerRequest');
  const Each = token<Counter>('Each');
  const make = () =>
    createContainer()
      .singleton(Single, () => new Counter())
      .scoped(PerRequest, () => new Counter())
      .transient(Each, () => new Counter());

  it('makes a singleton once for the container', () => {
    const container = make();
    const scope = container.createScope();
    expect(container.resolve(Single)).toBe(scope.resolve(Single));
    expect(container.createScope().resolve(Single)).toBe(container.resolve(Single));
  });

  it('makes a scoped service once per scope', () => {
    const container = make();
    const first = container.createScope();
    const second = container.createScope();
    expect(first.resolve(PerRequest)).toBe(first.resolve(PerRequest));
    expect(first.resolve(PerRequest)).not.toBe(second.resolve(PerRequest));
  });

  it('makes a transient on every resolution', () => {
    const container = make();
    const scope = container.createScope();
    expect(scope.resolve(Each)).not.toBe(scope.resolve(Each));
    expect(container.resolve(Each)).not.toBe(container.resolve(Each));
  });

  it('passes dependencies to factories in the order listed', () => {
    const A = token<string>('A');
    const B = token<number>('B');
    const C = token<string>('C');
    const container = createContainer()
      .value(A, 'a')
      .singleton(B, () => 2)
      .scoped(C, [A, B, A], (a, b, again) => `${a}${b}${again}`);
    expect(container.createScope().resolve(C)).toBe('a2a');
  });

  it('calls factories with more than four dependencies', () => {
    const tokens = Array.from({ length: 6 }, (_, index) => token<number>(`N${index}`));
    const Sum = token<number>('Sum');
    const container = createContainer();
    for (const [index, item] of tokens.entries()) container.value(item, index + 1);
    container.singleton(Sum, tokens, (...values: number[]) => values.reduce((a, b) => a + b, 0));
    expect(container.resolve(Sum)).toBe(21);
  });

  it('refuses a scoped service resolved from the container outside any scope, naming the path', () => {
    const Helper = token<string>('Helper');
    const container = make()
      .child()
      .transient(Helper, [PerRequest], (counter) => String(counter.n));
    const error = catchError(() => container.resolve(Helper));
    expect(error.code).toBe('ERR_HANDLERS_NO_SCOPE');
    expect(error.message).toContain('Helper → PerRequest');
  });

  it('refuses provide() for a token that is not scoped', () => {
    const Port = token<number>('Port');
    const container = createContainer().value(Port, 80);
    const error = catchError(() => container.createScope().provide(Port, 81));
    expect(error.message).toContain('"Port" is singleton; only scoped tokens take a per-request value');
  });

  it('lets a scope provide the value of a scoped token', () => {
    const User = scopedToken<{ id: string }>('User');
    const Greeting = token<string>('Greeting');
    const container = createContainer()
      .scoped(User, () => ({ id: 'anonymous' }))
      .scoped(Greeting, [User], (user) => `hello ${user.id}`);
    const scope = container.createScope().provide(User, { id: 'ada' });
    expect(scope.resolve(Greeting)).toBe('hello ada');
    expect(container.createScope().resolve(Greeting)).toBe('hello anonymous');
  });
});

describe('async factories', () => {
  const Pool = token<{ ready: boolean }>('Pool');
  const Repo = token<{ pool: { ready: boolean } }>('Repo');
  const make = () =>
    createContainer()
      .singleton(Pool, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { ready: true };
      })
      .scoped(Repo, [Pool], (pool) => ({ pool }));

  it('refuses a synchronous resolve before the async singleton is made', () => {
    const error = catchError(() => make().createScope().resolve(Repo));
    expect(error.code).toBe('ERR_HANDLERS_ASYNC_FACTORY');
    expect(error.message).toContain('"Pool" has an async factory');
  });

  it('resolves through resolveAsync, making a concurrent singleton once', async () => {
    const container = make();
    const [a, b] = await Promise.all([container.resolveAsync(Pool), container.resolveAsync(Pool)]);
    expect(a).toBe(b);
    const repo = await container.createScope().resolveAsync(Repo);
    expect(repo.pool).toBe(a);
  });

  it('start() makes every singleton so later resolutions are synchronous', async () => {
    const container = make();
    await container.start();
    expect(container.createScope().resolve(Repo).pool.ready).toBe(true);
  });

  it('makes one async scoped value per scope under concurrent resolution', async () => {
    const Slow = token<object>('Slow');
    let made = 0;
    const container = createContainer().scoped(Slow, async () => {
      made++;
      return {};
    });
    const scope = container.createScope();
    const [a, b] = await Promise.all([scope.resolveAsync(Slow), scope.resolveAsync(Slow)]);
    expect(a).toBe(b);
    expect(made).toBe(1);
  });

  it('names a plain function that returns a Promise', () => {
    const Sneaky = token<object>('Sneaky');
    const container = createContainer().singleton(Sneaky, () => Promise.resolve({}) as unknown as object);
    const error = catchError(() => container.resolve(Sneaky));
    expect(error.code).toBe('ERR_HANDLERS_ASYNC_FACTORY');
    expect(error.message).toContain('{ async: true }');
  });
});

describe('request scope through AsyncLocalStorage', () => {
  const Id = token<Counter>('Id');

  it('resolves scoped tokens from container.resolve() inside run(), across awaits', async () => {
    const container = createContainer().scoped(Id, () => new Counter());
    const seen = await Promise.all(
      [1, 2].map((delay) =>
        container.run(async (scope) => {
          const before = container.resolve(Id);
          await new Promise((resolve) => setTimeout(resolve, delay));
          expect(container.resolve(Id)).toBe(before);
          expect(scope.resolve(Id)).toBe(before);
          expect(container.currentScope).toBe(scope);
          return before;
        }),
      ),
    );
    expect(seen[0]).not.toBe(seen[1]);
    expect(container.currentScope).toBeUndefined();
  });

  it('does not hand one container the scope of another', async () => {
    const other = createContainer().scoped(Id, () => new Counter());
    const container = createContainer().scoped(Id, () => new Counter());
    await other.run(() => {
      expect(container.currentScope).toBeUndefined();
      expect(() => container.resolve(Id)).toThrow(/needs a request scope/);
    });
  });
});

describe('disposal', () => {
  function tracked(log: string[], name: string, kind: 'async' | 'sync' | 'close') {
    if (kind === 'async') return { [Symbol.asyncDispose]: async () => void log.push(name) };
    if (kind === 'sync') return { [Symbol.dispose]: () => void log.push(name) };
    return { close: () => void log.push(name) };
  }

  it('releases scoped values in reverse creation order when the scope ends', async () => {
    const log: string[] = [];
    const A = token<object>('A');
    const B = token<object>('B');
    const C = token<object>('C');
    const Plain = token<object>('Plain');
    const container = createContainer()
      .scoped(A, () => tracked(log, 'A', 'async'))
      .scoped(B, [A], () => tracked(log, 'B', 'sync'))
      .scoped(C, [B], () => tracked(log, 'C', 'close'))
      .scoped(Plain, () => ({}));
    const scope = container.createScope();
    scope.resolve(C);
    scope.resolve(Plain);
    await scope.dispose();
    expect(log).toEqual(['C', 'B', 'A']);
    await scope.dispose();
    expect(log).toEqual(['C', 'B', 'A']);
    expect(() => scope.resolve(A)).toThrow(/was disposed/);
  });

  it('uses a registration dispose function, and skips values registered with dispose: false', async () => {
    const log: string[] = [];
    const Pool = token<{ name: string; close(): void }>('Pool');
    const Kept = token<{ close(): void }>('Kept');
    const container = createContainer()
      .singleton(Pool, () => ({ name: 'pool', close: () => log.push('close') }), {
        dispose: (pool) => void log.push(`end ${pool.name}`),
      })
      .singleton(Kept, () => ({ close: () => log.push('kept') }), { dispose: false });
    container.resolve(Pool);
    container.resolve(Kept);
    await container.close();
    expect(log).toEqual(['end pool']);
  });

  it('releases singletons in reverse creation order when the container ends, values untouched', async () => {
    const log: string[] = [];
    const Config = token<object>('Config');
    const Db = token<object>('Db');
    const Cache = token<object>('Cache');
    const container = createContainer()
      .value(Config, tracked(log, 'Config', 'close'))
      .singleton(Db, [Config], () => tracked(log, 'Db', 'close'))
      .singleton(Cache, [Db], () => tracked(log, 'Cache', 'async'));
    await container.start();
    await container[Symbol.asyncDispose]();
    expect(log).toEqual(['Cache', 'Db']);
  });

  it('releases every value when one disposer fails, and names the failing token', async () => {
    const log: string[] = [];
    const A = token<object>('A');
    const Broken = token<object>('Broken');
    const container = createContainer()
      .scoped(A, () => tracked(log, 'A', 'close'))
      .scoped(Broken, [A], () => ({
        close: () => {
          throw new Error('socket already gone');
        },
      }));
    const scope = container.createScope();
    scope.resolve(Broken);
    const error = (await scope.dispose().catch((caught: unknown) => caught)) as HandlersError;
    expect(error.code).toBe('ERR_HANDLERS_DISPOSE_FAILED');
    expect(error.message).toContain('"Broken"');
    expect((error.cause as AggregateError).errors[0].message).toBe('socket already gone');
    expect(log).toEqual(['A']);
  });

  it('disposes the scope of run() when its signal aborts, before the work settles', async () => {
    const log: string[] = [];
    const Tx = token<object>('Tx');
    const container = createContainer().scoped(Tx, () => tracked(log, 'Tx', 'async'));
    const controller = new AbortController();
    let release: () => void = () => {};
    const running = container.run(
      async (scope) => {
        scope.resolve(Tx);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return log.slice();
      },
      { signal: controller.signal },
    );
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['Tx']);
    release();
    expect(await running).toEqual(['Tx']);
    expect(log).toEqual(['Tx']);
  });

  it('disposes the scope of run() when the work throws, and rethrows', async () => {
    const log: string[] = [];
    const Tx = token<object>('Tx');
    const container = createContainer().scoped(Tx, () => tracked(log, 'Tx', 'close'));
    await expect(
      container.run((scope) => {
        scope.resolve(Tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(log).toEqual(['Tx']);
  });

  it('refuses new scopes once the container is disposed, and scoped values once the scope is', async () => {
    const Tx = token<object>('Tx');
    const container = createContainer().scoped(Tx, () => ({}));
    const scope = container.createScope();
    await scope.dispose();
    expect(catchError(() => scope.resolve(Tx)).code).toBe('ERR_HANDLERS_DISPOSED');
    await container.dispose();
    expect(catchError(() => container.createScope()).code).toBe('ERR_HANDLERS_DISPOSED');
  });

  it('disposes transients made in a scope with that scope', async () => {
    const log: string[] = [];
    const Each = token<object>('Each');
    const container = createContainer().transient(Each, () => tracked(log, 'Each', 'close'));
    const scope = container.createScope();
    scope.resolve(Each);
    scope.resolve(Each);
    await scope.dispose();
    expect(log).toEqual(['Each', 'Each']);
  });
});

describe('errors before the first request', () => {
  it('names the missing token and who asked for it', () => {
    const Db = token<object>('Db');
    const Repo = token<object>('Repo');
    const Service = token<object>('Service');
    const container = createContainer()
      .scoped(Service, [Repo], () => ({}))
      .scoped(Repo, [Db], () => ({}));
    const error = catchError(() => container.compile());
    expect(error.code).toBe('ERR_HANDLERS_MISSING_REGISTRATION');
    expect(error.message).toBe(
      'No registration for "Db", needed by "Repo" (Service → Repo → Db). Register it with container.singleton/scoped/transient/value(Db, ...).',
    );
  });

  it('names container.resolve() as the requester of an unregistered token', () => {
    const Nothing = token<object>('Nothing');
    expect(catchError(() => createContainer().resolve(Nothing)).message).toContain(
      'needed by container.resolve()',
    );
  });

  it('prints the whole path of a cycle', () => {
    const A = token<object>('A');
    const B = token<object>('B');
    const C = token<object>('C');
    const Root = token<object>('Root');
    const container = createContainer()
      .singleton(Root, [A], () => ({}))
      .singleton(A, [B], () => ({}))
      .singleton(B, [C], () => ({}))
      .singleton(C, [A], () => ({}));
    const error = catchError(() => container.compile());
    expect(error.code).toBe('ERR_HANDLERS_CYCLE');
    expect(error.message).toContain('Dependency cycle: A → B → C → A.');
  });

  it('refuses at registration a singleton listing a scoped dependency it already knows', () => {
    const User = token<object>('User');
    const Cache = token<object>('Cache');
    const container = createContainer().scoped(User, () => ({}));
    const error = catchError(() => container.singleton(Cache, [User], () => ({})));
    expect(error.code).toBe('ERR_HANDLERS_LIFETIME_LEAK');
    expect(error.message).toContain('Singleton "Cache" depends on scoped "User" (Cache → User)');
  });

  it('refuses at compile a singleton reaching a scoped service through a transient', () => {
    const User = token<object>('User');
    const Helper = token<object>('Helper');
    const Cache = token<object>('Cache');
    const container = createContainer()
      .singleton(Cache, [Helper], () => ({}))
      .transient(Helper, [User], () => ({}))
      .scoped(User, () => ({}));
    const error = catchError(() => container.compile());
    expect(error.code).toBe('ERR_HANDLERS_LIFETIME_LEAK');
    expect(error.message).toContain('(Cache → Helper → User)');
  });

  it('refuses a scopedToken registered with another lifetime', () => {
    const User = scopedToken<object>('User');
    const container = createContainer();
    // @ts-expect-error a scoped token cannot be a singleton
    const error = catchError(() => container.singleton(User, () => ({})));
    expect(error.code).toBe('ERR_HANDLERS_INVALID_REGISTRATION');
  });

  it('refuses a second registration of one token, and registration after compiling', () => {
    const A = token<number>('A');
    const B = token<number>('B');
    const container = createContainer().value(A, 1);
    expect(catchError(() => container.value(A, 2)).code).toBe('ERR_HANDLERS_DUPLICATE_REGISTRATION');
    container.resolve(A);
    expect(catchError(() => container.value(B, 2)).code).toBe('ERR_HANDLERS_SEALED');
  });

  it('refuses arguments that are not tokens or factories', () => {
    const A = token<number>('A');
    const container = createContainer();
    expect(catchError(() => container.singleton({} as never, () => 1)).code).toBe(
      'ERR_HANDLERS_INVALID_TOKEN',
    );
    expect(catchError(() => container.singleton(A, 1 as never)).code).toBe(
      'ERR_HANDLERS_INVALID_REGISTRATION',
    );
    expect(catchError(() => container.singleton(A, [{}] as never, () => 1)).message).toContain(
      'dependency #0',
    );
    expect(() => token('')).toThrow(/non-empty name/);
  });
});

describe('child containers', () => {
  const Config = token<{ url: string }>('Config');
  const Db = token<{ url: string }>('Db');
  const Clock = token<{ now: number }>('Clock');
  const Repo = token<{ db: { url: string } }>('Repo');

  const parentOf = () =>
    createContainer()
      .value(Config, { url: 'postgres://prod' })
      .singleton(Db, [Config], (config) => ({ url: config.url }))
      .singleton(Clock, () => ({ now: 1 }))
      .scoped(Repo, [Db], (db) => ({ db }));

  it('overrides one registration for the child only', () => {
    const parent = parentOf();
    const child = parent.child().value(Config, { url: 'pglite://memory' });
    expect(child.createScope().resolve(Repo).db.url).toBe('pglite://memory');
    expect(parent.createScope().resolve(Repo).db.url).toBe('postgres://prod');
  });

  it('shares the parent singletons that do not depend on an override', () => {
    const parent = parentOf();
    const child = parent.child().value(Config, { url: 'pglite://memory' });
    expect(child.resolve(Clock)).toBe(parent.resolve(Clock));
    expect(child.resolve(Db)).not.toBe(parent.resolve(Db));
  });

  it('disposes only what the child made', async () => {
    const log: string[] = [];
    const Conn = token<object>('Conn');
    const parent = createContainer().singleton(Conn, () => ({ close: () => log.push('parent') }));
    const child = parent.child().singleton(Conn, () => ({ close: () => log.push('child') }));
    child.resolve(Conn);
    parent.resolve(Conn);
    await child.dispose();
    expect(log).toEqual(['child']);
  });
});

describe('graph dump', () => {
  const Config = token<object>('Config');
  const Db = token<object>('Db');
  const User = scopedToken<object>('User');
  const Repo = token<object>('Repo');
  const container = createContainer()
    .value(Config, {})
    .singleton(Db, [Config], async () => ({}))
    .scoped(User, () => ({}))
    .scoped(Repo, [Db, User], () => ({}));

  it('prints one line per token with its lifetime and dependencies', () => {
    expect(container.graph()).toBe(
      [
        'Config (value)',
        'Db (singleton, async)  → Config',
        'User (scoped)',
        'Repo (scoped)          → Db, User',
      ].join('\n'),
    );
  });

  it('prints a Mermaid flowchart with an edge per dependency', () => {
    const id = (item: { id: number }) => `t${item.id}`;
    expect(container.graph('mermaid')).toBe(
      [
        'flowchart TD',
        `  ${id(Config)}["Config (value)"]`,
        `  ${id(Db)}["Db (singleton, async)"]`,
        `  ${id(User)}["User (scoped)"]`,
        `  ${id(Repo)}["Repo (scoped)"]`,
        `  ${id(Db)} --> ${id(Config)}`,
        `  ${id(Repo)} --> ${id(Db)}`,
        `  ${id(Repo)} --> ${id(User)}`,
      ].join('\n'),
    );
  });

  it('marks overrides in a child', () => {
    expect(container.child().value(Config, {}).graph().split('\n')).toContain('Config (value, override)');
  });
});
