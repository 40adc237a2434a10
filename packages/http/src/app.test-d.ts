import { describe, expectTypeOf, it } from 'vitest';
import { createApp } from './app.js';
import type { Middleware } from './compose.js';
import type { PathParams } from './path-params.js';
import { json } from './response.js';

describe('types', () => {
  it('infers params from the path', () => {
    expectTypeOf<PathParams<'/users/:id'>['id']>().toEqualTypeOf<string>();
    expectTypeOf<PathParams<'/flights/:from-:to'>>().toMatchTypeOf<{ from: string; to: string }>();
    expectTypeOf<PathParams<'/files/*'>>().toMatchTypeOf<{ '*': string }>();
    expectTypeOf<PathParams<'/assets/*path'>>().toMatchTypeOf<{ path: string }>();
    expectTypeOf<PathParams<'/posts/:page?'>>().toMatchTypeOf<{ page?: string }>();
    const app = createApp();
    app.get('/repos/:owner/:repo', (ctx) => {
      expectTypeOf(ctx.params.owner).toEqualTypeOf<string>();
      expectTypeOf(ctx.params.repo).toEqualTypeOf<string>();
      expectTypeOf(ctx.routePath).toEqualTypeOf<string | undefined>();
      expectTypeOf(ctx.request).toEqualTypeOf<Request>();
      return json({});
    });
  });

  it('types per-request state through the app', () => {
    const app = createApp<{ user: { id: number } }>();
    const auth: Middleware<{ user: { id: number } }> = (ctx, next) => {
      ctx.state.user = { id: 1 };
      return next();
    };
    app.use(auth);
    app.get('/me', (ctx) => {
      expectTypeOf(ctx.state.user.id).toEqualTypeOf<number>();
      return json(ctx.state.user);
    });
  });

  it('rejects handlers that do not return a Response', () => {
    const app = createApp();
    // @ts-expect-error a handler must return a Response
    app.get('/', () => 'text');
  });
});
