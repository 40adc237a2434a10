// The seam of this package: what inject() can call in-process, told apart by shape (no framework import).
import type { ServerResponse } from 'node:http';
import { TestingError } from './errors.js';
import type { NodeHandler } from './node-exchange.js';

/** A WHATWG fetch handler, bare or as the `fetch` method of an app (@plinth/http, Hono, Bun-style). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** The part of a Fastify instance inject() uses: `ready()` and the `routing` request listener. */
export interface FastifyLike {
  ready(): PromiseLike<unknown>;
  routing(req: never, res: ServerResponse): void;
}

/** The part of a node:http Server inject() uses: its request listeners. */
export interface NodeServerLike {
  listeners(event: 'request'): Function[];
  listen: Function;
}

/**
 * Anything inject() can send a request to: a fetch handler or `{ fetch }` app, a node `(req, res)`
 * listener (an Express app is one), a node:http Server, or a Fastify instance.
 */
export type InjectTarget =
  | FetchHandler
  | { fetch: FetchHandler }
  | NodeHandler
  | FastifyLike
  | NodeServerLike;

/** How a target is dispatched. */
export type ResolvedTarget =
  | { kind: 'fetch'; handler: FetchHandler }
  | { kind: 'node'; handler: NodeHandler; ready?: () => PromiseLike<unknown> };

/** Tells the target's kind by its shape; throws ERR_TESTING_INVALID_TARGET for anything else. */
export function resolveTarget(target: unknown): ResolvedTarget {
  const candidate = target as Record<string, unknown> | null;
  if (candidate && (typeof candidate === 'object' || typeof candidate === 'function')) {
    if (typeof candidate.routing === 'function' && typeof candidate.ready === 'function') {
      const fastify = candidate as unknown as FastifyLike;
      return {
        kind: 'node',
        handler: fastify.routing.bind(fastify) as NodeHandler,
        ready: () => fastify.ready(),
      };
    }
    if (typeof candidate.fetch === 'function') {
      const app = candidate as unknown as { fetch: FetchHandler };
      return { kind: 'fetch', handler: (request) => app.fetch(request) };
    }
    // An Express app is an EventEmitter with listen() too, but a function: only objects are servers.
    if (
      typeof candidate === 'object' &&
      typeof candidate.listeners === 'function' &&
      typeof candidate.listen === 'function'
    ) {
      const server = candidate as unknown as NodeServerLike;
      return {
        kind: 'node',
        handler: (req, res) => {
          for (const listener of server.listeners('request')) listener.call(server, req, res);
        },
      };
    }
    if (typeof target === 'function') {
      // An Express app (handle/set) or any function of two or more parameters is a node listener.
      const fn = target as Function & { handle?: unknown };
      if (typeof fn.handle === 'function' || fn.length >= 2)
        return { kind: 'node', handler: fn as NodeHandler };
      return { kind: 'fetch', handler: fn as FetchHandler };
    }
  }
  throw new TestingError(
    'ERR_TESTING_INVALID_TARGET',
    `inject: cannot send a request to ${typeof target}; give a fetch handler (request) => Response, an object with fetch(), a node (req, res) listener, an Express app, a node:http Server or a Fastify instance.`,
  );
}
