// Another Standard Schema validator than zod: valibot has no JSON Schema in `~standard`, so the
// helpers declare the kinds, and the object's `entries` give the variable names.

import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { env, generateExample, loadConfig, secret } from '../src/index.js';
import { allFields } from './all-fields.js';
import { configFailure } from './config-failure.js';

const schema = v.object({
  PORT: v.optional(env.port(v.number()), 3000),
  DEBUG: v.optional(env.boolean(v.boolean()), false),
  TIMEOUT: env.duration(v.pipe(v.number(), v.maxValue(60_000))),
  HOSTS: env.list(v.array(v.string())),
  NAME: v.string(),
  API_KEY: secret(v.pipe(v.string(), v.minLength(8))),
});

describe('loadConfig with valibot', () => {
  it('coerces by the declared kinds, looking through v.optional', () => {
    const config = loadConfig({
      schema,
      envFiles: false,
      env: { DEBUG: 'on', TIMEOUT: '45s', HOSTS: 'a,b', NAME: 'api', API_KEY: 'key-123456' },
    });
    expect(allFields(config)).toEqual({
      PORT: 3000,
      DEBUG: true,
      TIMEOUT: 45_000,
      HOSTS: ['a', 'b'],
      NAME: 'api',
      API_KEY: 'key-123456',
    });
    expect(JSON.stringify(config)).toContain('"API_KEY":"[redacted]"');
  });

  it('reports every problem with the variable names from entries', () => {
    const error = configFailure(() =>
      loadConfig({ schema, envFiles: false, env: { PORT: '99999', TIMEOUT: '2m', API_KEY: 'short' } }),
    );
    expect(error.issues.map((issue) => `${issue.key}:${issue.kind}`)).toEqual([
      'API_KEY:invalid',
      'HOSTS:missing',
      'NAME:missing',
      'PORT:invalid',
      'TIMEOUT:invalid',
    ]);
    expect(error.message).not.toContain('short');
    expect(error.message).toContain('PORT: expected port (integer 0-65535), received "99999"');
  });

  it('lists the variables in .env.example', () => {
    const text = generateExample({ schema });
    expect(text).toContain('# secret, string, required\nAPI_KEY=');
    expect(text).toContain('# duration (e.g. 250ms, 30s, 5m, 1h30m, 2d), required\nTIMEOUT=');
  });
});
