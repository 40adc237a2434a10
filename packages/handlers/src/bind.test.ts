import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bindDefinition, type IncomingRequest, readBindOptions } from './bind.js';
import { createContainer } from './container.js';
import { defineHandler } from './definition.js';
import type { Scope } from './scope.js';
import { scopedToken, token } from './token.js';

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

  it('answers without a promise when no step is asynchronous, and releases its own scope even so', () => {
    const Clock = token<{ now: number }>('Clock');
    const container = createContainer().value(Clock, { now: 1 });
    let seen: Scope | undefined;
    const definition = defineHandler({
      method: 'GET',
      path: '/a',
      schema: { response: { 200: z.object({ now: z.number() }) } },
      services: { clock: Clock },
      handle: (_input, { clock }, ctx) => {
        seen = ctx.scope;
        return { now: clock.now, extra: true };
      },
    });
    const outcome = bindDefinition(definition, { container })(request());
    expect(outcome).not.toBeInstanceOf(Promise);
    expect(outcome).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"now":1}',
    });
    expect(seen?.disposed).toBe(true);
  });

  it('answers only once what the scope made is released', async () => {
    class Connection {
      open = true;
      async [Symbol.asyncDispose]() {
        await new Promise((resolve) => setTimeout(resolve, 5));
        this.open = false;
      }
    }
    const Conn = scopedToken<Connection>('Conn');
    const container = createContainer().scoped(Conn, () => new Connection());
    let made: { open: boolean } | undefined;
    const definition = defineHandler({
      method: 'GET',
      path: '/a',
      services: { conn: Conn },
      handle: (_input, { conn }) => {
        made = conn;
        return { open: conn.open };
      },
    });
    const outgoing = await bindDefinition(definition, { container })(request());
    expect(outgoing.body).toBe('{"open":true}');
    expect(made?.open).toBe(false);
  });

  it('turns a synchronous throw into a rejection with forwardErrors, after releasing the scope', async () => {
    const container = createContainer();
    let seen: Scope | undefined;
    const definition = defineHandler({
      method: 'GET',
      path: '/a',
      handle: (_input, _services, ctx) => {
        seen = ctx.scope;
        throw new Error('to the host');
      },
    });
    const outcome = bindDefinition(definition, { container, forwardErrors: true })(request());
    expect(outcome).toBeInstanceOf(Promise);
    await expect(outcome).rejects.toThrow('to the host');
    expect(seen?.disposed).toBe(true);
  });
});
