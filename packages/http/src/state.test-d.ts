import { describe, expectTypeOf, it } from 'vitest';
import { createApp } from './app.js';
import { json } from './response.js';

// The middleware context every HTTP-facing Plinth package declares for itself (no import from
// @plinth/http): observability's requestLogger and deploy's health middleware are typed like this.
interface MiddlewareContext {
  readonly method: string;
  readonly path: string;
  header(name: string): string | undefined;
  readonly signal: AbortSignal;
  readonly request: Request;
  readonly state: object;
  readonly routePath?: string | undefined;
}
type SeamMiddleware = (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response>;

const requestId: SeamMiddleware = async (ctx, next) => {
  (ctx.state as Record<string, unknown>).requestId = ctx.header('x-request-id') ?? 'generated';
  return next();
};

interface MyState {
  user?: { id: number };
  requestId?: string;
}

describe('middleware against the shared context seam', () => {
  it('is accepted by createApp<MyState>() in use(), groups and route options', () => {
    const app = createApp<MyState>();
    app.use(requestId);
    app.group('/admin', (admin) => admin.use(requestId));
    app.get('/me', { middleware: [requestId] }, (ctx) => {
      expectTypeOf(ctx.state).toEqualTypeOf<MyState>();
      return json({ id: ctx.state.requestId });
    });
  });

  it('is accepted by an app with the default state too', () => {
    createApp().use(requestId);
  });
});
