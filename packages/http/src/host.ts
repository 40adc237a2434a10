// The host bridge: under Express or Fastify, a handler may reach the host framework's own request and
// reply (req.user from passport, req.session, res.locals, Fastify decorators). Each adapter stores its
// pair on the context; expressHost()/fastifyHost() read it back, typed for their framework.
import type { Context } from './context.js';
import { usageError } from './errors.js';

/** Internal: the host pair an adapter attached, checked against the adapter that asks. */
export interface HostPair {
  readonly kind: 'express' | 'fastify';
}

/** Internal: the host pair of `ctx` when it came through the `kind` adapter; a typed error otherwise. */
export function hostOf<Pair extends HostPair>(
  ctx: Pick<Context<object>, 'method' | 'path'>,
  kind: Pair['kind'],
): Pair {
  const host = (ctx as { host?: HostPair }).host;
  if (host?.kind !== kind) {
    const adapter =
      kind === 'express'
        ? 'plinthExpress(app) from @plinth/http/express'
        : 'plinthFastify from @plinth/http/fastify';
    throw usageError(
      'ERR_HTTP_NOT_MOUNTED',
      `${kind === 'express' ? 'expressHost' : 'fastifyHost'}(ctx) was called for ${ctx.method} ${ctx.path}, which did not come through ${adapter}; mount the app with it, or read ctx.state seeded by the mount's \`state\` option so the handler also runs without the host.`,
    );
  }
  return host as Pair;
}
