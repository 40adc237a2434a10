// A custom ConfigSource against a real HTTP server on 127.0.0.1, the way a user plugs in a vault.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConfigSource, loadConfigAsync, secret } from '../src/index.js';
import { allFields } from './all-fields.js';
import { asyncConfigFailure } from './config-failure.js';

let server: Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    if (request.headers.authorization !== 'Bearer test-token') {
      response.writeHead(403).end();
      return;
    }
    if (request.url === '/slow') return; // never answers: the source's timeout must end the wait
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ data: { DB_PASSWORD: 'vault-password-123', API_URL: 'https://api.internal' } }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

// A generous timeout by default (a loaded CI machine can be slow to answer); the hanging case uses a short one.
function vaultSource(path: string, token: string, timeout = 10_000): ConfigSource {
  return {
    name: 'vault',
    secret: true,
    async load() {
      const response = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(timeout),
      });
      if (!response.ok) throw new Error(`vault answered ${response.status}`);
      return ((await response.json()) as { data: Record<string, string> }).data;
    },
  };
}

const schema = z.object({
  DB_PASSWORD: secret(z.string()),
  API_URL: z.url(),
  PORT: z.number().default(3000),
});

describe('a custom vault source over HTTP', () => {
  it('loads secrets from the vault, typed and redacted', async () => {
    const config = await loadConfigAsync({
      schema,
      envFiles: false,
      sources: [vaultSource('/v1/app', 'test-token')],
      env: { PORT: '8080' },
    });
    expect(allFields(config)).toEqual({
      DB_PASSWORD: 'vault-password-123',
      API_URL: 'https://api.internal',
      PORT: 8080,
    });
    expect(JSON.stringify(config)).toContain('"API_URL":"[redacted]"');
    expect(requests).toBeGreaterThan(0);
  });

  /** Loads with the vault at `path` and returns the ConfigError it fails with. */
  const failWith = (path: string, token: string, timeout?: number) =>
    asyncConfigFailure(() =>
      loadConfigAsync({ schema, envFiles: false, sources: [vaultSource(path, token, timeout)], env: {} }),
    );

  it('fails fast with ERR_CONFIG_SOURCE when the vault refuses', async () => {
    const error = await failWith('/v1/app', 'wrong');
    expect(error.code).toBe('ERR_CONFIG_SOURCE');
    expect(error.message).toBe('The configuration source "vault" failed to load: vault answered 403');
  });

  it('ends a hanging source by its own timeout', async () => {
    const error = await failWith('/slow', 'test-token', 500);
    expect(error.code).toBe('ERR_CONFIG_SOURCE');
    expect(error.message).toContain('The configuration source "vault" failed to load');
    expect(error.cause).toBeInstanceOf(DOMException);
  });
});
