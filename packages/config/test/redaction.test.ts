// Secrets in the loaded configuration stay out of real log lines (pino), JSON and console output.

import { Writable } from 'node:stream';
import { formatWithOptions } from 'node:util';
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
  }),
  envFiles: false,
  env: { DB_PASSWORD: 'pg-password-42', OAUTH: '{"clientId":"app","clientSecret":"oauth-secret-42"}' },
});

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
    });
    expect(lines[0]).not.toContain('pg-password-42');
    expect(lines[0]).not.toContain('oauth-secret-42');
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
  });
});
