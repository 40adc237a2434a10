import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allFields } from '../test/all-fields.js';
import { asyncConfigFailure, configFailure } from '../test/config-failure.js';
import type { ConfigDefinition } from './definition.js';
import { env } from './env-schema.js';
import { loadConfig, loadConfigAsync } from './load-config.js';
import { secret } from './secret.js';
import type { ConfigSource, ConfigValues } from './source.js';
import type { StandardSchemaV1 } from './standard-schema.js';

const base = { envFiles: false } as const;

const appSchema = z.object({
  PORT: z.number().int().min(0).max(65_535).default(3000),
  DATABASE_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  DEBUG: z.boolean().default(false),
  ORIGINS: z.array(z.string()).default([]),
  RETRIES: z.array(z.number()).optional(),
  FEATURES: z.object({ beta: z.boolean() }).optional(),
  TIMEOUT: env.duration(z.number().positive()).default(30_000),
  DB_PASSWORD: secret(z.string().min(12)),
});

describe('loadConfig with a zod object', () => {
  it('coerces strings by the JSON Schema type and applies defaults', () => {
    const config = loadConfig({
      ...base,
      schema: appSchema,
      env: {
        PORT: '8080',
        DEBUG: 'YES',
        ORIGINS: 'https://a.example, https://b.example',
        RETRIES: '100,200',
        FEATURES: '{"beta":true}',
        TIMEOUT: '1m30s',
        DB_PASSWORD: 'correct-horse-battery',
      },
    });
    expect(allFields(config)).toEqual({
      PORT: 8080,
      LOG_LEVEL: 'info',
      DEBUG: true,
      ORIGINS: ['https://a.example', 'https://b.example'],
      RETRIES: [100, 200],
      FEATURES: { beta: true },
      TIMEOUT: 90_000,
      DB_PASSWORD: 'correct-horse-battery',
    });
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({
      ...base,
      schema: appSchema,
      env: { FEATURES: '{"beta":false}', ORIGINS: 'a', DB_PASSWORD: 'correct-horse-battery' },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.FEATURES)).toBe(true);
    expect(Object.isFrozen(config.ORIGINS)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
    expect(() => (config.ORIGINS as string[]).push('b')).toThrow(TypeError);
  });

  it('lists every missing and invalid variable in one ConfigError', () => {
    const error = configFailure(() =>
      loadConfig({
        ...base,
        schema: appSchema,
        env: {
          PORT: 'eighty',
          DEBUG: 'perhaps',
          LOG_LEVEL: 'loud',
          DATABASE_URL: 'not a url',
          RETRIES: '1,x',
        },
      }),
    );
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.issues.map((issue) => [issue.key, issue.kind])).toEqual([
      ['DATABASE_URL', 'invalid'],
      ['DB_PASSWORD', 'missing'],
      ['DEBUG', 'invalid'],
      ['LOG_LEVEL', 'invalid'],
      ['PORT', 'invalid'],
      ['RETRIES', 'invalid'],
    ]);
    expect(error.message).toContain('Invalid configuration (1 missing, 5 invalid)');
    expect(error.message).toContain(
      'PORT: expected integer, received "eighty" from environment: not an integer',
    );
    expect(error.message).toContain('DB_PASSWORD: missing; expected string');
    expect(error.message).toContain('LOG_LEVEL: expected one of "debug" | "info" | "warn" | "error"');
    expect(error.message).toContain('RETRIES: expected comma-separated list of number');
    expect(error.message).toContain('DEBUG: expected boolean (true/false, 1/0, yes/no, on/off)');
  });

  it('truncates long received values and masks URL passwords', () => {
    const error = configFailure(() =>
      loadConfig({
        ...base,
        schema: z.object({ A: z.number(), B: z.url().max(20) }),
        env: { A: 'x'.repeat(200), B: 'postgres://app:s3cr3t-pw@db.internal:5432/app' },
      }),
    );
    expect(error.message).toContain(`received "${'x'.repeat(40)}…"`);
    expect(error.message).not.toContain('s3cr3t-pw');
    expect(error.message).toContain('postgres://app:***@');
  });

  it('never prints the value of a secret, even when the validator quotes it', () => {
    const value = 'sk_live_0123456789';
    const error = configFailure(() =>
      loadConfig({
        ...base,
        schema: z.object({
          API_KEY: secret(
            z.string().refine(() => false, { error: (issue) => `bad key ${String(issue.input)}` }),
          ),
          SESSION_SECRET: z.number(),
          SIGNING: z
            .string()
            .meta({ secret: true })
            .pipe(z.string().startsWith('x', `got ${value}`)),
        }),
        env: { API_KEY: value, SESSION_SECRET: value, SIGNING: value },
      }),
    );
    expect(error.issues).toHaveLength(3);
    expect(error.message).not.toContain(value);
    expect(JSON.stringify(error.issues)).not.toContain(value);
    expect(error.message).toContain(
      'API_KEY: expected string, value hidden (secret, from environment): bad key [redacted]',
    );
    // Not marked, but its name says secret: the value stays hidden too.
    expect(error.message).toContain('SESSION_SECRET: expected number, value hidden');
  });

  it('scrubs a secret quoted by a refinement of the whole object', () => {
    const schema = z
      .object({ DB_USER: z.string(), DB_PASSWORD: secret(z.string()) })
      .refine((value) => value.DB_PASSWORD !== value.DB_USER, {
        error: (issue) => `password ${(issue.input as { DB_PASSWORD: string }).DB_PASSWORD} equals the user`,
        path: ['DB_USER'],
      });
    const error = configFailure(() =>
      loadConfig({ ...base, schema, env: { DB_USER: 'same-value-1', DB_PASSWORD: 'same-value-1' } }),
    );
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain('password [redacted] equals the user');
    expect(error.message).not.toContain('same-value-1');
  });

  it('redacts secrets in JSON.stringify and util.inspect but gives the program the value', () => {
    const config = loadConfig({
      ...base,
      schema: appSchema,
      env: { DB_PASSWORD: 'correct-horse-battery' },
    });
    expect(config.DB_PASSWORD).toBe('correct-horse-battery');
    expect(JSON.stringify(config)).not.toContain('correct-horse-battery');
    expect(JSON.parse(JSON.stringify(config)).DB_PASSWORD).toBe('[redacted]');
    expect(JSON.stringify({ config })).toContain('"DB_PASSWORD":"[redacted]"');
    expect(inspect(config)).toContain("DB_PASSWORD: '[redacted]'");
    expect(inspect(config)).not.toContain('correct-horse-battery');
    expect(Object.keys(config)).not.toContain('toJSON');
  });

  it('keeps the secret mark through wrappers added after secret()', () => {
    const config = loadConfig({
      ...base,
      schema: z.object({ TOKEN: secret(z.string()).optional(), NAME: z.string() }),
      env: { TOKEN: 'abc-def-ghi', NAME: 'public' },
    });
    expect(JSON.stringify(config)).toBe('{"TOKEN":"[redacted]","NAME":"public"}');
  });

  it('treats empty strings as unset by default, and as values when asked', () => {
    const schema = z.object({ NAME: z.string().default('fallback') });
    expect(loadConfig({ ...base, schema, env: { NAME: '' } }).NAME).toBe('fallback');
    expect(loadConfig({ ...base, schema, env: { NAME: '' }, emptyAsUnset: false }).NAME).toBe('');
  });

  it('passes a string a union also accepts when it is not a number', () => {
    const schema = z.object({ WORKERS: z.union([z.number().int(), z.literal('auto')]) });
    expect(loadConfig({ ...base, schema, env: { WORKERS: '4' } }).WORKERS).toBe(4);
    expect(loadConfig({ ...base, schema, env: { WORKERS: 'auto' } }).WORKERS).toBe('auto');
  });

  it('uses z.coerce and z.stringbool schemas as written', () => {
    const schema = z.object({ N: z.coerce.number(), B: z.stringbool() });
    expect(loadConfig({ ...base, schema, env: { N: '7', B: 'enabled' } })).toEqual({ N: 7, B: true });
  });

  it('ignores variables the schema does not declare and passes only declared ones to a strict object', () => {
    const schema = z.strictObject({ A: z.string() });
    expect(loadConfig({ ...base, schema, env: { A: 'a', PATH: '/bin', HOME: '/root' } })).toEqual({ A: 'a' });
  });

  it('still coerces the other variables when one type has no JSON Schema', () => {
    const schema = z.object({ SINCE: z.coerce.date(), LIMIT: z.bigint().optional(), COUNT: z.number() });
    const config = loadConfig({ ...base, schema, env: { SINCE: '2026-01-02T00:00:00Z', COUNT: '3' } });
    expect(config.COUNT).toBe(3);
    expect(config.SINCE).toEqual(new Date('2026-01-02T00:00:00Z'));
  });

  it('names the path inside a JSON variable', () => {
    const error = configFailure(() =>
      loadConfig({
        ...base,
        schema: z.object({ LIMITS: z.object({ rate: z.object({ max: z.number() }) }) }),
        env: { LIMITS: '{"rate":{"max":"ten"}}' },
      }),
    );
    expect(error.message).toContain(
      'LIMITS: expected JSON object, received "{\\"rate\\":{\\"max\\":\\"ten\\"}}" from environment: at rate.max: Invalid input: expected number, received string',
    );
  });

  it('reports object-level refinements under the configuration', () => {
    const schema = z
      .object({ MIN: z.number(), MAX: z.number() })
      .refine((value) => value.MIN <= value.MAX, 'MIN must not exceed MAX');
    const error = configFailure(() => loadConfig({ ...base, schema, env: { MIN: '5', MAX: '1' } }));
    expect(error.issues).toEqual([expect.objectContaining({ key: '', message: 'MIN must not exceed MAX' })]);
  });
});

describe('loadConfig with a record of schemas', () => {
  it('validates each variable with its own schema, envalid style', () => {
    const config = loadConfig({
      ...base,
      schema: {
        PORT: env.port({ default: 3000 }),
        HOST: env.string({ default: '127.0.0.1' }),
        DEBUG: env.boolean({ optional: true }),
        TIMEOUT: env.duration({ default: 5000 }),
        TAGS: env.list({ separator: ';' }),
        LIMITS: env.json(),
        HOME_URL: env.url(),
        RATIO: env.number(),
        WORKERS: env.integer(),
        NAME: z.string().min(2),
      },
      env: {
        PORT: '8080',
        TIMEOUT: '2s',
        TAGS: 'a; b',
        LIMITS: '[1,2]',
        HOME_URL: 'https://example.com',
        RATIO: '0.5',
        WORKERS: '3',
        NAME: 'api',
      },
    });
    expect(allFields(config)).toEqual({
      PORT: 8080,
      HOST: '127.0.0.1',
      DEBUG: undefined,
      TIMEOUT: 2000,
      TAGS: ['a', 'b'],
      LIMITS: [1, 2],
      HOME_URL: 'https://example.com',
      RATIO: 0.5,
      WORKERS: 3,
      NAME: 'api',
    });
  });

  it('reports every variable of the record at once', () => {
    const error = configFailure(() =>
      loadConfig({
        ...base,
        schema: {
          PORT: env.port(),
          NAME: z.string(),
          HOME_URL: env.url(),
          TOKEN: env.string({ secret: true }),
        },
        env: { PORT: '70000', HOME_URL: 'nope', TOKEN: '' },
      }),
    );
    expect(error.issues.map((issue) => `${issue.key}:${issue.kind}`)).toEqual([
      'HOME_URL:invalid',
      'NAME:missing',
      'PORT:invalid',
      'TOKEN:missing',
    ]);
    expect(error.message).toContain('PORT: expected port (integer 0-65535), received "70000"');
  });

  it('works with a hand-written Standard Schema that has no JSON Schema, given a kind', () => {
    const positive: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: (value) =>
          typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'must be positive' }] },
      },
    };
    const config = loadConfig({ ...base, schema: { COUNT: env.integer(positive) }, env: { COUNT: '12' } });
    expect(config.COUNT).toBe(12);
    const error = configFailure(() =>
      loadConfig({ ...base, schema: { COUNT: env.integer(positive) }, env: { COUNT: '-1' } }),
    );
    expect(error.message).toContain(
      'COUNT: expected integer, received "-1" from environment: must be positive',
    );
  });
});

describe('definition errors', () => {
  it('rejects a record member that is not a schema', () => {
    const schema = { PORT: 3000 } as unknown as Record<string, StandardSchemaV1>;
    expect(configFailure(() => loadConfig({ ...base, schema, env: {} })).code).toBe('ERR_CONFIG_DEFINITION');
  });

  it.each([
    ['no definition', undefined],
    ['a schema that is not an object schema', { schema: z.string() }],
    ['envFiles of the wrong type', { schema: z.object({}), envFiles: 'yes' }],
    ['secretsDir of the wrong type', { schema: z.object({}), secretsDir: true }],
    ['a source without load()', { schema: z.object({}), sources: [{ name: 'vault' }] }],
  ])('rejects %s with ERR_CONFIG_DEFINITION', (_name, definition) => {
    const error = configFailure(() => loadConfig(definition as unknown as ConfigDefinition));
    expect(error.code).toBe('ERR_CONFIG_DEFINITION');
  });

  it('rejects a secrets entry the schema does not declare', () => {
    const error = configFailure(() =>
      loadConfig({
        ...base,
        schema: z.object({ DB_PASSWORD: z.string() }),
        secrets: ['DB_PASWORD'],
        env: {},
      }),
    );
    expect(error.code).toBe('ERR_CONFIG_DEFINITION');
    expect(error.message).toContain('DB_PASWORD');
  });

  it('treats names in the secrets option as secrets', () => {
    const config = loadConfig({
      ...base,
      schema: z.object({ DSN: z.string() }),
      secrets: ['DSN'],
      env: { DSN: 'postgres://u:p@h/db' },
    });
    expect(JSON.stringify(config)).toBe('{"DSN":"[redacted]"}');
  });
});

describe('asynchronous sources and validation', () => {
  const vault: ConfigSource = {
    name: 'vault',
    secret: true,
    load: async () => ({ DB_PASSWORD: 'from-the-vault-123' }),
  };

  it('refuses an async source in loadConfig and names loadConfigAsync', () => {
    const error = configFailure(() =>
      loadConfig({ ...base, schema: z.object({ DB_PASSWORD: z.string() }), sources: [vault], env: {} }),
    );
    expect(error.code).toBe('ERR_CONFIG_ASYNC');
    expect(error.message).toContain('loadConfigAsync');
  });

  it('loads async sources with loadConfigAsync and treats their values as secrets', async () => {
    const config = await loadConfigAsync({
      ...base,
      schema: z.object({ DB_PASSWORD: z.string() }),
      sources: [vault],
      env: {},
    });
    expect(config.DB_PASSWORD).toBe('from-the-vault-123');
    expect(JSON.stringify(config)).toBe('{"DB_PASSWORD":"[redacted]"}');
  });

  it('lets the real environment win over a custom source', async () => {
    const config = await loadConfigAsync({
      ...base,
      schema: z.object({ DB_PASSWORD: z.string() }),
      sources: [vault],
      env: { DB_PASSWORD: 'from-env' },
    });
    expect(config.DB_PASSWORD).toBe('from-env');
  });

  it('wraps a failing source in ERR_CONFIG_SOURCE with its name', async () => {
    const broken: ConfigSource = {
      name: 'vault',
      load: async () => {
        throw new Error('connection refused');
      },
    };
    const error = await asyncConfigFailure(() =>
      loadConfigAsync({ ...base, schema: z.object({ A: z.string() }), sources: [broken], env: {} }),
    );
    expect(error.code).toBe('ERR_CONFIG_SOURCE');
    expect(error.message).toBe('The configuration source "vault" failed to load: connection refused');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects a source that returns something other than a record', () => {
    const odd = { name: 'odd', load: () => null } as unknown as ConfigSource;
    expect(
      configFailure(() => loadConfig({ ...base, schema: z.object({}), sources: [odd], env: {} })).code,
    ).toBe('ERR_CONFIG_SOURCE');
  });

  it('turns non-string values of a source into text and coerces them', () => {
    const json: ConfigSource = {
      name: 'json',
      load: () => ({ PORT: 8080, DEBUG: true, LIMITS: { max: 3 }, NAME: null }) as unknown as ConfigValues,
    };
    const config = loadConfig({
      ...base,
      schema: z.object({
        PORT: z.number(),
        DEBUG: z.boolean(),
        LIMITS: z.object({ max: z.number() }),
        NAME: z.string().default('n'),
      }),
      sources: [json],
      env: {},
    });
    expect(config).toEqual({ PORT: 8080, DEBUG: true, LIMITS: { max: 3 }, NAME: 'n' });
  });

  it('passes the declared names to sources', async () => {
    let asked: readonly string[] | undefined;
    const spy: ConfigSource = {
      name: 'spy',
      load: (keys) => {
        asked = keys;
        return {};
      },
    };
    loadConfig({
      ...base,
      schema: z.object({ A: z.string().optional(), B: z.number().optional() }),
      sources: [spy],
      env: {},
    });
    expect(asked).toEqual(['A', 'B']);
  });

  it('validates async refinements with loadConfigAsync only', async () => {
    const schema = z.object({ HOST: z.string().refine(async (value) => value !== 'bad', 'host is blocked') });
    expect(configFailure(() => loadConfig({ ...base, schema, env: { HOST: 'ok' } })).code).toBe(
      'ERR_CONFIG_ASYNC',
    );
    expect((await loadConfigAsync({ ...base, schema, env: { HOST: 'ok' } })).HOST).toBe('ok');
    const error = await asyncConfigFailure(() => loadConfigAsync({ ...base, schema, env: { HOST: 'bad' } }));
    expect(error.message).toContain(
      'HOST: expected string, received "bad" from environment: host is blocked',
    );
  });
});
