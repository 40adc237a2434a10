// Over a real socket, the login rate limit keys by the TCP peer that
// @plinth/http's context reports (ctx.remoteAddress): exhausting the limit from one loopback address
// leaves another address its own. Linux routes all of 127.0.0.0/8 to loopback, so a client can pick
// its source address with `localAddress`.
import { request } from 'node:http';
import { serve } from '@plinth/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './support/app.js';
import { pgliteDatabase, type TestDatabase } from './support/databases.js';

const body = JSON.stringify({ email: 'member@example.com', password: 'plinth-demo' });

function login(port: number, localAddress: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const client = request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        agent: false,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    client.on('error', reject);
    client.end(body);
  });
}

describe('the client address over a real socket', () => {
  let database: TestDatabase;
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    database = await pgliteDatabase();
    const { app } = await testApp(database.db, { loginRateLimit: 2 });
    server = await serve(app, { port: 0, hostname: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('counts the login rate limit per TCP peer', async () => {
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await login(server.port, '127.0.0.2')).status);
    expect(first).toEqual([200, 200, 429]);
    // Another peer has its own budget: the limit was not keyed by "unknown" or by the proxy.
    expect((await login(server.port, '127.0.0.3')).status).toBe(200);
  });
});
