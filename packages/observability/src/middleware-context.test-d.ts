// The fetch middleware fit any router context of the shared seam, whatever its typed state: a router
// with `createApp<MyState>()` (like @plinth/http's Context<State>) accepts them as they are.
import { describe, expectTypeOf, it } from 'vitest';
import { errorHandler, requestLogger } from './adapters/fetch.js';
import type { MiddlewareContext } from './middleware-context.js';

// A router context declared on its own, as @plinth/http declares its Context: more members, a typed state.
interface RouterContext<State extends object> {
  readonly request: Request;
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly params: Record<string, string>;
  readonly routePath: string | undefined;
  readonly signal: AbortSignal;
  state: State;
  header(name: string): string | undefined;
}
type RouterMiddleware<State extends object> = (
  ctx: RouterContext<State>,
  next: () => Promise<Response>,
) => Promise<Response>;

interface MyState {
  user: { id: string } | undefined;
}

describe('MiddlewareContext', () => {
  it('is satisfied by a router context with a typed state', () => {
    expectTypeOf<RouterContext<MyState>>().toExtend<MiddlewareContext>();
    expectTypeOf(requestLogger()).toExtend<RouterMiddleware<MyState>>();
    expectTypeOf(errorHandler()).toExtend<RouterMiddleware<MyState>>();
  });

  it('does not accept a context without header(), method or path', () => {
    expectTypeOf<{ request: Request; state: object }>().not.toExtend<MiddlewareContext>();
  });
});
