// The adapters fit their hosts' types: @plinth/http's app.use, Express's app.use, Fastify's register.
import { createApp } from '@plinth/http';
import express from 'express';
import Fastify from 'fastify';
import { expectTypeOf, test } from 'vitest';
import { expressCors, expressCsrf, expressRateLimit, expressSecureHeaders } from '../src/express.js';
import { fastifyCors, fastifyCsrf, fastifyRateLimit, fastifySecureHeaders } from '../src/fastify.js';
import { cors, csrf, memoryStore, rateLimit, type SecurityState, secureHeaders } from '../src/index.js';

const policies = [{ name: 'default', limit: 10, windowMs: 1_000 }];

test('fetch middleware is accepted by a typed @plinth/http app', () => {
  const app = createApp<{ user?: string; security?: SecurityState }>();
  app.use(secureHeaders());
  app.use(cors({ origin: 'https://app.example.com' }));
  app.use(csrf());
  app.use(rateLimit({ store: memoryStore(), policies, key: 'route' }));
});

test('Express middleware is accepted by app.use', () => {
  const app = express();
  app.use(
    expressSecureHeaders(),
    expressCors({ origin: '*' }),
    expressCsrf(),
    expressRateLimit({ store: memoryStore(), policies }),
  );
});

test('Fastify plugins register with their options typed, and request.security is declared', async () => {
  const app = Fastify();
  await app.register(fastifySecureHeaders, { contentSecurityPolicy: { nonce: true } });
  await app.register(fastifyCors, { origin: ['https://app.example.com'] });
  await app.register(fastifyCsrf, {});
  await app.register(fastifyRateLimit, { store: memoryStore(), policies });
  app.get('/', async (request) => {
    expectTypeOf(request.security.nonce).toEqualTypeOf<string | undefined>();
    return {};
  });
  // @ts-expect-error policies are required
  await app.register(fastifyRateLimit, { store: memoryStore() });
});
