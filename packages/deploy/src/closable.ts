// The Closable: anything graceful shutdown can close — a queue, a socket server, a pool, a server.

/**
 * A resource graceful shutdown closes: an object with `close()` (a @plinth/http server, a
 * fastify instance, a postgres.js `sql`, an ioredis client via `quit`-wrapping) or with
 * `[Symbol.asyncDispose]`. `close` should resolve once the resource has let go of everything.
 */
export type Closable =
  | { close(): Promise<unknown> | unknown }
  | { [Symbol.asyncDispose](): PromiseLike<void> };

/** Closes a {@link Closable} by whichever of its methods it has, preferring `close()`. */
export async function closeClosable(closable: Closable): Promise<void> {
  if ('close' in closable && typeof closable.close === 'function') {
    await closable.close();
    return;
  }
  if (Symbol.asyncDispose in closable) await closable[Symbol.asyncDispose]();
}

/** Tells whether a value is a {@link Closable}. */
export function isClosable(value: unknown): value is Closable {
  if (typeof value !== 'object' || value === null) return false;
  return (
    typeof (value as { close?: unknown }).close === 'function' ||
    typeof (value as { [Symbol.asyncDispose]?: unknown })[Symbol.asyncDispose] === 'function'
  );
}
