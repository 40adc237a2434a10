// Type-level seams: our fetch middleware fits @plinth/http apps of any state, and the Fastify
// decorator types request.user.
import type { Middleware as HttpMiddleware } from '@plinth/http';
import type { FastifyRequest } from 'fastify';
import { expectTypeOf, test } from 'vitest';
import '../src/adapters/fastify.js';
import { authenticate, type Principal, requirePermission, type TokenVerifier } from '../src/index.js';

declare const verifier: TokenVerifier;

test('authenticate and requirePermission are @plinth/http middleware for any app state', () => {
  expectTypeOf(authenticate({ bearer: verifier })).toExtend<
    HttpMiddleware<{ user?: Principal; requestId?: string }>
  >();
  expectTypeOf(requirePermission('posts:write')).toExtend<HttpMiddleware>();
});

test('the Fastify plugin types request.user as the principal', () => {
  expectTypeOf<FastifyRequest['user']>().toEqualTypeOf<Principal | undefined>();
});
