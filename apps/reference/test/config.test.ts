// The configuration: one typed schema with embedded defaults, secrets kept out of logs, and the
// committed .env.example generated from it (regenerate with `pnpm --filter @plinth/reference env:example`).
import { readFileSync } from 'node:fs';
import { generateExample, loadConfig } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { definition } from '../src/config.js';

const load = (env: Record<string, string>) => loadConfig({ ...definition, env, envFiles: false });

describe('configuration', () => {
  it('keeps .env.example current with the schema', () => {
    const committed = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    expect(committed).toBe(generateExample(definition));
  });

  it('starts with nothing set: embedded defaults, CORS closed, no JWT_SECRET', () => {
    const config = load({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: '.data',
      CORS_ORIGINS: [],
      TRUSTED_PROXIES: [],
      LOGIN_RATE_LIMIT: 20,
      ACCESS_TOKEN_TTL: 900_000,
      SEED_DEMO: true,
    });
    expect(config.JWT_SECRET).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('reads lists and durations, and keeps secrets out of JSON', () => {
    const config = load({
      CORS_ORIGINS: 'https://board.example.com, https://*.example.org',
      ACCESS_TOKEN_TTL: '5m',
      JWT_SECRET: 'x'.repeat(40),
      REDIS_URL: 'redis://:hunter2@cache:6379',
    });
    expect(config.CORS_ORIGINS).toEqual(['https://board.example.com', 'https://*.example.org']);
    expect(config.ACCESS_TOKEN_TTL).toBe(300_000);
    expect(config.JWT_SECRET).toBe('x'.repeat(40));
    const shown = JSON.stringify(config);
    expect(shown).not.toContain('x'.repeat(40));
    expect(shown).not.toContain('hunter2');
  });

  it('refuses a short JWT_SECRET and a REDIS_URL of another scheme, naming both', () => {
    expect(() => load({ JWT_SECRET: 'short', REDIS_URL: 'http://cache' })).toThrow(
      /JWT_SECRET[\s\S]*REDIS_URL|REDIS_URL[\s\S]*JWT_SECRET/,
    );
  });
});
