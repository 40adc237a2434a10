// The request scope of the current async context: one AsyncLocalStorage shared by every copy of
// this package (ESM and CJS builds) through a Symbol.for key, so fetch, Express and Fastify code
// sees the same scope.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Scope } from './scope.js';

const key = Symbol.for('@plinth/handlers.scopeStorage');
const holder = globalThis as { [key]?: AsyncLocalStorage<Scope> };

holder[key] ??= new AsyncLocalStorage<Scope>();

/** Internal: the storage carrying the current request scope. */
export const scopeStorage: AsyncLocalStorage<Scope> = holder[key];

/** Internal: disposes `scope` when `signal` aborts; returns the function that stops listening. */
export function disposeOnAbort(
  scope: Scope,
  signal: AbortSignal | undefined,
  report: (error: unknown) => void,
): () => void {
  if (signal === undefined) return noop;
  const onAbort = () => {
    scope.dispose().catch(report);
  };
  if (signal.aborted) {
    onAbort();
    return noop;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function noop(): void {}
