import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bindDefinition, type IncomingRequest, readBindOptions } from './bind.js';
import { createContainer } from './container.js';
import { defineHandler } from './definition.js';
import { token } from './token.js';

function request(parts: Partial<IncomingRequest> = {}): IncomingRequest {
  return {
    method: 'GET',
    path: '/a',
    routePath: '/a',
    params: {},
    query: () => ({}),
    headers: () => ({}),
    body: () => undefined,
    header: () => undefined,
    signal: new AbortController().signal,
    scope: undefined,
    raw: undefined,
    ...parts,
  };
}

describe('binding a definition', () => {
  it('answers a validation failure with 422 when asked', async () => {
    const definition = defineHandler({
      method: 'GET',
      path: '/a',
      schema: { querystring: z.object({ page: z.coerce.number() }) },
      handle: () => null,
    });
    const outgoing = await bindDefinition(definition, { validationStatus: 422 })(
      request({ query: () => ({ page: 'x' }) }),
    );
    expect(outgoing.status).toBe(422);
    expect(JSON.parse(outgoing.body ?? '')).toMatchObject({
      title: 'Unprocessable Content',
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses, at bind time, services without a container and a service the container lacks', () => {
    const Db = token<object>('Db');
    const definition = defineHandler({ method: 'GET', path: '/a', services: { db: Db }, handle: () => null });
    expect(() => bindDefinition(definition, {})).toThrow(
      'The handler GET /a needs services (db): bind it with { container }.',
    );
    expect(() => bindDefinition(definition, { container: createContainer() })).toThrow(
      'No registration for "Db", needed by handler GET /a.',
    );
    expect(() => readBindOptions({ validationStatus: 418 as 400 })).toThrow(/400 or 422/);
  });

  it('awaits async services on the first request and resolves them synchronously afterwards', async () => {
    const Db = token<{ name: string }>('Db');
    const container = createContainer().singleton(Db, async () => ({ name: 'db' }));
    const definition = defineHandler({
      method: 'GET',
      path: '/a',
      services: { db: Db },
      handle: (_input, { db }) => db,
    });
    const run = bindDefinition(definition, { container });
    expect((await run(request())).body).toBe('{"name":"db"}');
    expect((await run(request())).body).toBe('{"name":"db"}');
  });

  it('rethrows with forwardErrors', async () => {
    const definition = defineHandler({
      method: 'GET',
      path: '/a',
      handle: () => {
        throw new Error('to the host');
      },
    });
    await expect(bindDefinition(definition, { forwardErrors: true })(request())).rejects.toThrow(
      'to the host',
    );
  });
});
