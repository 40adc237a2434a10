// Secrets in the loaded configuration stay out of real log lines (pino), JSON and console output.

import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { formatWithOptions, inspect } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, secret } from '../src/index.js';

const config = loadConfig({
  schema: z.object({
    PORT: z.number().default(3000),
    DB_PASSWORD: secret(z.string()),
    OAUTH: secret(z.object({ clientId: z.string(), clientSecret: z.string() })),
    OPTIONAL_TOKEN: secret(z.string()).optional(),
    STRIPE_API_KEY: z.string(),
    FEATURES: z.object({ beta: z.boolean(), signingKey: z.string() }),
  }),
  envFiles: false,
  env: {
    DB_PASSWORD: 'pg-password-42',
    OAUTH: '{"clientId":"app","clientSecret":"oauth-secret-42"}',
    STRIPE_API_KEY: 'sk-by-name-42',
    FEATURES: '{"beta":true,"signingKey":"nested-key-42"}',
  },
});

const secretValues = ['pg-password-42', 'oauth-secret-42', 'sk-by-name-42', 'nested-key-42'];

function expectNoSecret(text: string): void {
  for (const value of secretValues) expect(text).not.toContain(value);
}

/** A writable stream collecting what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('redaction of the loaded configuration', () => {
  it('keeps secrets out of pino log lines', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = pino({ base: undefined, timestamp: false }, destination);
    logger.info({ config }, 'configuration loaded');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}').config).toEqual({
      PORT: 3000,
      DB_PASSWORD: '[redacted]',
      OAUTH: '[redacted]',
      STRIPE_API_KEY: '[redacted]',
      FEATURES: { beta: true },
    });
    expectNoSecret(lines[0] ?? '');
  });

  it('keeps secrets out of pino().info(config), the config as the merging object', async () => {
    const { stream, text } = collector();
    pino({ base: undefined, timestamp: false }, stream).info(config);
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(text());
    expect(line).toMatchObject({ PORT: 3000, FEATURES: { beta: true } });
    expect(line).not.toHaveProperty('DB_PASSWORD');
    expectNoSecret(text());
  });

  it('keeps secrets out of console.dir and util.inspect, hidden fields shown or not', () => {
    const { stream, text } = collector();
    // console.dir inspects without custom inspection: the secrets are simply not enumerated.
    new Console({ stdout: stream }).dir(config, { depth: 5, showHidden: true });
    expect(text()).toContain('PORT: 3000');
    expectNoSecret(text());
    expect(inspect(config)).toContain("DB_PASSWORD: '[redacted]'");
    expectNoSecret(inspect(config, { depth: 5, showHidden: true }));
    expectNoSecret(inspect(config, { depth: 5, showHidden: true, customInspect: false }));
    expectNoSecret(inspect({ wrapped: config }, { depth: 5 }));
  });

  it('keeps secrets out of JSON.stringify, Object.keys, spread copies and structuredClone', () => {
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      PORT: 3000,
      DB_PASSWORD: '[redacted]',
      OAUTH: '[redacted]',
      STRIPE_API_KEY: '[redacted]',
      FEATURES: { beta: true },
    });
    expect(Object.keys(config)).toEqual(['PORT', 'FEATURES']);
    const copy = { ...config };
    expect(copy).toEqual({ PORT: 3000, FEATURES: { beta: true } });
    expectNoSecret(JSON.stringify(copy));
    expectNoSecret(inspect(copy, { depth: 5 }));
    const clone = structuredClone(config);
    expect(clone).toEqual({ PORT: 3000, FEATURES: { beta: true } });
    expectNoSecret(inspect(clone, { depth: 5, showHidden: true }));
    expectNoSecret(JSON.stringify(Object.entries(config)));
  });

  it('keeps secrets out of console.log formatting, nested or not', () => {
    const text = formatWithOptions({ depth: 5 }, '%o %O', config, { wrapped: { config } });
    expect(text).not.toContain('pg-password-42');
    expect(text).not.toContain('oauth-secret-42');
    expect(text).toContain("DB_PASSWORD: '[redacted]'");
  });

  it('still gives the program every real value', () => {
    expect(config.DB_PASSWORD).toBe('pg-password-42');
    expect(config.OAUTH.clientSecret).toBe('oauth-secret-42');
    expect(config.OPTIONAL_TOKEN).toBeUndefined();
    expect(config.STRIPE_API_KEY).toBe('sk-by-name-42');
    expect(config.FEATURES.signingKey).toBe('nested-key-42');
    expect('DB_PASSWORD' in config).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
    const { DB_PASSWORD } = config;
    expect(DB_PASSWORD).toBe('pg-password-42');
  });
});
