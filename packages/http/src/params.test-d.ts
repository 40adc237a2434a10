import { describe, expectTypeOf, it } from 'vitest';
import { createApp } from './app.js';
import type { PathParams } from './path-params.js';
import { json } from './response.js';

describe('typed route params', () => {
  it('rejects a misspelled param on a literal path', () => {
    const app = createApp();
    app.get('/users/:id', (ctx) => {
      expectTypeOf(ctx.params.id).toEqualTypeOf<string>();
      // @ts-expect-error `ID` is not a parameter of /users/:id
      void ctx.params.ID;
      return json({ id: ctx.params.id });
    });
    app.get('/posts/:page?', (ctx) => {
      expectTypeOf(ctx.params.page).toEqualTypeOf<string | undefined>();
      // @ts-expect-error only `page` exists
      void ctx.params.pages;
      return json({});
    });
    app.get('/files/*path', (ctx) => {
      expectTypeOf(ctx.params.path).toEqualTypeOf<string>();
      // @ts-expect-error the wildcard is named `path`
      void ctx.params['*'];
      return json({});
    });
  });

  it('keeps a path typed as string working with any name', () => {
    const app = createApp();
    const path: string = '/users/:id';
    app.get(path, (ctx) => {
      expectTypeOf(ctx.params.anything).toEqualTypeOf<string | undefined>();
      return json({});
    });
    expectTypeOf<PathParams<string>>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<keyof PathParams<'/a/:b/:c'>>().toEqualTypeOf<'b' | 'c'>();
  });
});
