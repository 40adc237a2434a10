// The same small app on each host, served on 127.0.0.1: @plinth/http (fetch middleware), Express 5, Fastify 5.
import type { AddressInfo } from 'node:net';
import { createApp, json } from '@plinth/http';
import { serve } from '@plinth/http/node';
import express from 'express';
import Fastify from 'fastify';
import {
  authenticate as expressAuthenticate,
  requirePermission as expressRequire,
} from '../../src/adapters/express.js';
import { auth as fastifyAuth, requirePermission as fastifyRequire } from '../../src/adapters/fastify.js';
import {
  authenticate as fetchAuthenticate,
  requirePermission as fetchRequire,
} from '../../src/adapters/fetch.js';
import type { AuthenticateOptions } from '../../src/authenticate.js';
import type { PermissionCheck } from '../../src/guard.js';
import type { Principal } from '../../src/principal.js';

/** A running server: its base URL and how to stop it. */
export interface Running {
  url: string;
  close(): Promise<void>;
}

const view = (user: Principal | undefined) => ({
  id: user?.id ?? null,
  via: user?.via ?? null,
  permissions: user?.permissions ?? [],
});

/** Routes: GET /me, DELETE /posts (needs posts:delete), GET /custom (needs the extra check). */
export type Host = (options: AuthenticateOptions, extra: PermissionCheck) => Promise<Running>;

export const hosts: Record<string, Host> = {
  async 'plinth-http'(options, extra) {
    const app = createApp<{ user?: Principal }>();
    app.use(fetchAuthenticate(options));
    app.get('/me', (ctx) => json(view(ctx.state.user)));
    app.delete('/posts', { middleware: [fetchRequire('posts:delete')] }, () => json({ deleted: true }));
    app.get('/custom', { middleware: [fetchRequire(extra)] }, () => json({ ok: true }));
    app.get('/boom', () => {
      throw new Error('handler crashed');
    });
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    return { url: `http://127.0.0.1:${server.port}`, close: () => server.close({ timeout: 1_000 }) };
  },
  async express(options, extra) {
    const app = express();
    app.use(expressAuthenticate(options));
    app.get('/me', (req, res) => {
      res.json(
        view((req as unknown as { user?: Principal }).user ?? (res.locals.user as Principal | undefined)),
      );
    });
    app.delete('/posts', expressRequire('posts:delete'), (_req, res) => {
      res.json({ deleted: true });
    });
    app.get('/custom', expressRequire(extra), (_req, res) => {
      res.json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  },
  async fastify(options, extra) {
    const app = Fastify();
    await app.register(fastifyAuth, options);
    app.get('/me', async (request) => view(request.user));
    app.delete('/posts', { preHandler: fastifyRequire('posts:delete') }, async () => ({ deleted: true }));
    app.get('/custom', { preHandler: fastifyRequire(extra) }, async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      close: () => app.close(),
    };
  },
};
