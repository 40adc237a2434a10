import { describe, expectTypeOf, it } from 'vitest';
import { createContainer } from './container.js';
import { scopedToken, token } from './token.js';

interface Config {
  url: string;
}
interface User {
  id: string;
}
const Config = token<Config>('Config');
const Port = token<number>('Port');
const CurrentUser = scopedToken<User>('CurrentUser');
const Cache = token<Map<string, string>>('Cache');

describe('container types', () => {
  it('types factory arguments from the dependency tokens, in order', () => {
    createContainer().scoped(token<string>('Label'), [Config, Port, CurrentUser], (config, port, user) => {
      expectTypeOf(config).toEqualTypeOf<Config>();
      expectTypeOf(port).toEqualTypeOf<number>();
      expectTypeOf(user).toEqualTypeOf<User>();
      return `${config.url}:${port}:${user.id}`;
    });
  });

  it('types resolutions by token', () => {
    const container = createContainer().value(Port, 3000);
    expectTypeOf(container.resolve(Port)).toEqualTypeOf<number>();
    expectTypeOf(container.createScope().resolve(CurrentUser)).toEqualTypeOf<User>();
    expectTypeOf(container.resolveAsync(Config)).toEqualTypeOf<Promise<Config>>();
  });

  it('refuses a factory whose value does not match the token', () => {
    // @ts-expect-error a number is not a Config
    createContainer().singleton(Config, () => 42);
    // @ts-expect-error value() checks the type too
    createContainer().value(Port, 'eighty');
  });

  it('refuses a singleton depending on a scoped token at compile time (lifetime leak)', () => {
    // @ts-expect-error a singleton cannot depend on a scopedToken
    createContainer().singleton(Cache, [CurrentUser], () => new Map<string, string>());
    // @ts-expect-error also among other dependencies
    createContainer().singleton(Cache, [Config, CurrentUser], () => new Map<string, string>());
    createContainer().scoped(Cache, [Config, CurrentUser], () => new Map<string, string>());
    createContainer().singleton(Cache, [Config], () => new Map<string, string>());
  });

  it('refuses registering a scoped token with another lifetime', () => {
    // @ts-expect-error scoped tokens are scoped
    createContainer().transient(CurrentUser, () => ({ id: 'x' }));
    createContainer().scoped(CurrentUser, () => ({ id: 'x' }));
  });
});
