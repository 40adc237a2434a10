// Fastify 5 plugins, not encapsulated (the fastify-plugin convention, its markers set in one place
// below), so their hooks run for every route of the app that registers them, its 404s included.
import { Buffer } from 'node:buffer';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { lazyCsrfToken, type SecurityState, securityState } from '../context.js';
import { type CorsOptions, createCors } from '../cors.js';
import { type CsrfOptions, createCsrf } from '../csrf.js';
import type { ForwardErrorsOption, SecurityHttpError } from '../errors.js';
import { problemOf } from '../problem.js';
import { createRateLimiter, type RateLimiterOptions } from '../rate-limit.js';
import { createSecureHeaders, type SecureHeadersOptions } from '../secure-headers.js';
import { encryptedOf, nodeView } from './node-view.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** @plinth/security's per-request values: `nonce`, `csrfToken`. */
    security: SecurityState;
  }
}

function unencapsulated<Options extends FastifyPluginOptions>(
  name: string,
  plugin: (fastify: FastifyInstance, options: Options) => Promise<void>,
): FastifyPluginAsync<Options> {
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
    [Symbol.for('plugin-meta')]: { name, fastify: '5.x' },
  });
}

function decorate(fastify: FastifyInstance): void {
  if (!fastify.hasRequestDecorator('security'))
    fastify.decorateRequest('security', null as unknown as SecurityState);
}

function viewOf(request: FastifyRequest) {
  return nodeView(request.raw, request, request.url);
}

/** Answers a refusal as problem+json, or throws it to Fastify's error handler with `forwardErrors`. */
function refuse(reply: FastifyReply, error: SecurityHttpError, forward: boolean | undefined): FastifyReply {
  if (forward === true) throw error;
  const { body, headers } = problemOf(error);
  // A Buffer keeps Fastify from adding "; charset=utf-8" (SEAMS §B: the type exactly).
  return reply.code(error.status).headers(headers).send(Buffer.from(body));
}

function setHeaders(reply: FastifyReply, headers: ReadonlyArray<readonly [string, string]>): void {
  for (const [name, value] of headers) {
    if (name === 'vary') {
      const current = reply.getHeader('vary');
      reply.header('vary', current === undefined ? value : `${current}, ${value}`);
    } else reply.header(name, value);
  }
}

/**
 * helmet's secure headers on every reply; with a CSP nonce it is at `request.security.nonce`.
 *
 * @example
 * await app.register(fastifySecureHeaders, { contentSecurityPolicy: { nonce: true } });
 */
export const fastifySecureHeaders = unencapsulated<SecureHeadersOptions>(
  '@plinth/security.headers',
  async (fastify, options) => {
    const compiled = createSecureHeaders(options);
    const fixed = Object.fromEntries(compiled.fixed);
    decorate(fastify);
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.headers(fixed);
      if (compiled.usesNonce) {
        const nonce = compiled.nonce();
        securityState(request).nonce = nonce;
        const [name, value] = compiled.csp(nonce);
        reply.header(name, value);
      }
      done();
    });
  },
);

/**
 * CORS: preflights answered with 204 (no OPTIONS routes needed), CORS headers on the rest.
 *
 * @example
 * await app.register(fastifyCors, { origin: ['https://app.example.com'], credentials: true });
 */
export const fastifyCors = unencapsulated<CorsOptions>('@plinth/security.cors', async (fastify, options) => {
  const compiled = createCors(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    const decision = compiled.decide(viewOf(request));
    setHeaders(reply, decision.headers);
    if (decision.preflight) {
      reply.code(204).header('content-length', '0').send();
      return;
    }
    done();
  });
});

/**
 * CSRF protection; the token fallback also reads the `_csrf` field of a parsed form body. The token
 * for forms is `request.security.csrfToken`. A refusal answers 403 problem+json, or with `forwardErrors`
 * reaches the app's error handler (the hook throws).
 *
 * @example
 * await app.register(fastifyCsrf, { trustedOrigins: ['https://app.example.com'] });
 */
export const fastifyCsrf = unencapsulated<CsrfOptions & ForwardErrorsOption>(
  '@plinth/security.csrf',
  async (fastify, options) => {
    const compiled = createCsrf(options);
    decorate(fastify);
    fastify.addHook('onRequest', async (request, reply) => {
      const verdict = compiled.check(viewOf(request));
      if (verdict.kind === 'reject') return refuse(reply, verdict.error, options.forwardErrors);
      if (options.token !== undefined) {
        lazyCsrfToken(
          request,
          () => compiled.token(viewOf(request)),
          (cookie) => reply.header('set-cookie', cookie),
        );
      }
    });
    // Only when the headers could not decide: the form field is known once Fastify parsed the body.
    fastify.addHook('preHandler', async (request, reply) => {
      const view = viewOf(request);
      if (compiled.check(view).kind !== 'token') return;
      const field = (request.body as Record<string, unknown> | undefined)?.[compiled.fieldName];
      const verdict = compiled.verifyToken(view, typeof field === 'string' ? field : undefined);
      if (verdict.kind === 'reject') return refuse(reply, verdict.error, options.forwardErrors);
    });
  },
);

/**
 * Rate limiting in an onRequest hook: RateLimit headers on every reply, 429 problem+json with
 * Retry-After (thrown to the app's error handler with `forwardErrors`). Key functions see the Fastify request as `request.state` (decorators such as `user`).
 *
 * @example
 * await app.register(fastifyRateLimit, { store, policies: [{ name: 'default', limit: 100, windowMs: 60_000 }] });
 */
export const fastifyRateLimit = unencapsulated<RateLimiterOptions & ForwardErrorsOption>(
  '@plinth/security.rate-limit',
  async (fastify, options) => {
    const limiter = createRateLimiter(options);
    fastify.addHook('onRequest', async (request, reply) => {
      const decision = await limiter.check(viewOf(request), encryptedOf(request.raw));
      if (decision.error !== undefined) return refuse(reply, decision.error, options.forwardErrors);
      setHeaders(reply, decision.headers);
    });
  },
);
