// Load + validate time of a 30-variable configuration: @plinth/config (with zod, and with its own
// env.* helpers), envalid, @t3-oss/env-core with zod, and plain zod parsing of the environment.
// Interleaved rounds in a rotating order, medians, µs per load. Writes bench/results.json and the
// README table. Bounded: about 20 s on 2 cores.

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createEnv } from '@t3-oss/env-core';
import { bool, cleanEnv, json, makeValidator, num, port, str, url } from 'envalid';
import { z } from 'zod';
import { env, loadConfig, parseDuration, secret } from '../src/index.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
const targetMs = Number(process.env.BENCH_ROUND_MS ?? 40);

const environment: Record<string, string> = {
  PORT: '8080',
  HOST: '0.0.0.0',
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/app',
  DATABASE_POOL_MIN: '2',
  DATABASE_POOL_MAX: '20',
  DATABASE_SSL: 'true',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_TLS: 'false',
  JWT_SECRET: 'a-very-long-jwt-signing-secret-value',
  JWT_ISSUER: 'https://auth.example.com',
  JWT_TTL: '15m',
  SESSION_TTL: '7d',
  CORS_ORIGINS: 'https://a.example.com,https://b.example.com',
  RATE_LIMIT_MAX: '100',
  RATE_LIMIT_WINDOW: '1m',
  SMTP_HOST: 'smtp.example.com',
  SMTP_PORT: '587',
  SMTP_USER: 'mailer',
  SMTP_PASSWORD: 'smtp-password-123',
  S3_BUCKET: 'uploads',
  S3_REGION: 'eu-west-1',
  S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
  FEATURE_FLAGS: '{"beta":true,"search":false}',
  SENTRY_DSN: 'https://key@o1.ingest.sentry.io/1',
  METRICS_ENABLED: 'yes',
  REQUEST_TIMEOUT: '30s',
  SHUTDOWN_TIMEOUT: '10s',
  WORKER_CONCURRENCY: '4',
};
// A real environment also holds variables the configuration does not declare.
for (let index = 0; index < 40; index++) environment[`UNRELATED_VARIABLE_${index}`] = `value-${index}`;

const levels = ['debug', 'info', 'warn', 'error'] as const;
const nodeEnvs = ['development', 'test', 'production'] as const;

/** @plinth/config with a zod object written naturally: no z.coerce, helpers only for durations. */
function plinthZodSchema() {
  return z.object({
    PORT: z.number().int().default(3000),
    HOST: z.string().default('0.0.0.0'),
    NODE_ENV: z.enum(nodeEnvs),
    LOG_LEVEL: z.enum(levels).default('info'),
    DATABASE_URL: z.url(),
    DATABASE_POOL_MIN: z.number().int(),
    DATABASE_POOL_MAX: z.number().int(),
    DATABASE_SSL: z.boolean(),
    REDIS_URL: z.url(),
    REDIS_TLS: z.boolean(),
    JWT_SECRET: secret(z.string().min(32)),
    JWT_ISSUER: z.url(),
    JWT_TTL: env.duration(z.number()),
    SESSION_TTL: env.duration(z.number()),
    CORS_ORIGINS: z.array(z.url()),
    RATE_LIMIT_MAX: z.number().int(),
    RATE_LIMIT_WINDOW: env.duration(z.number()),
    SMTP_HOST: z.string(),
    SMTP_PORT: z.number().int(),
    SMTP_USER: z.string(),
    SMTP_PASSWORD: secret(z.string()),
    S3_BUCKET: z.string(),
    S3_REGION: z.string(),
    S3_ENDPOINT: z.url().optional(),
    FEATURE_FLAGS: z.record(z.string(), z.boolean()),
    SENTRY_DSN: z.url().optional(),
    METRICS_ENABLED: z.boolean(),
    REQUEST_TIMEOUT: env.duration(z.number()),
    SHUTDOWN_TIMEOUT: env.duration(z.number()),
    WORKER_CONCURRENCY: z.number().int(),
  });
}

/** @plinth/config without zod: a record of its own env.* schemas. */
function plinthHelpersSchema() {
  return {
    PORT: env.port({ default: 3000 }),
    HOST: env.string({ default: '0.0.0.0' }),
    NODE_ENV: env.string(),
    LOG_LEVEL: env.string({ default: 'info' }),
    DATABASE_URL: env.url(),
    DATABASE_POOL_MIN: env.integer(),
    DATABASE_POOL_MAX: env.integer(),
    DATABASE_SSL: env.boolean(),
    REDIS_URL: env.url(),
    REDIS_TLS: env.boolean(),
    JWT_SECRET: env.string({ secret: true }),
    JWT_ISSUER: env.url(),
    JWT_TTL: env.duration(),
    SESSION_TTL: env.duration(),
    CORS_ORIGINS: env.list(),
    RATE_LIMIT_MAX: env.integer(),
    RATE_LIMIT_WINDOW: env.duration(),
    SMTP_HOST: env.string(),
    SMTP_PORT: env.port(),
    SMTP_USER: env.string(),
    SMTP_PASSWORD: env.string({ secret: true }),
    S3_BUCKET: env.string(),
    S3_REGION: env.string(),
    S3_ENDPOINT: env.url({ optional: true }),
    FEATURE_FLAGS: env.json(),
    SENTRY_DSN: env.url({ optional: true }),
    METRICS_ENABLED: env.boolean(),
    REQUEST_TIMEOUT: env.duration(),
    SHUTDOWN_TIMEOUT: env.duration(),
    WORKER_CONCURRENCY: env.integer(),
  };
}

const envalidDuration = makeValidator<number>((input) => {
  const value = parseDuration(input);
  if (value === undefined) throw new Error(`invalid duration: ${input}`);
  return value;
});
const envalidList = makeValidator<string[]>((input) => input.split(',').map((item) => item.trim()));

function envalidSpec() {
  return {
    PORT: port({ default: 3000 }),
    HOST: str({ default: '0.0.0.0' }),
    NODE_ENV: str({ choices: nodeEnvs }),
    LOG_LEVEL: str({ choices: levels, default: 'info' }),
    DATABASE_URL: url(),
    DATABASE_POOL_MIN: num(),
    DATABASE_POOL_MAX: num(),
    DATABASE_SSL: bool(),
    REDIS_URL: url(),
    REDIS_TLS: bool(),
    JWT_SECRET: str(),
    JWT_ISSUER: url(),
    JWT_TTL: envalidDuration(),
    SESSION_TTL: envalidDuration(),
    CORS_ORIGINS: envalidList(),
    RATE_LIMIT_MAX: num(),
    RATE_LIMIT_WINDOW: envalidDuration(),
    SMTP_HOST: str(),
    SMTP_PORT: port(),
    SMTP_USER: str(),
    SMTP_PASSWORD: str(),
    S3_BUCKET: str(),
    S3_REGION: str(),
    S3_ENDPOINT: url({ default: undefined }),
    FEATURE_FLAGS: json<Record<string, boolean>>(),
    SENTRY_DSN: url({ default: undefined }),
    METRICS_ENABLED: bool(),
    REQUEST_TIMEOUT: envalidDuration(),
    SHUTDOWN_TIMEOUT: envalidDuration(),
    WORKER_CONCURRENCY: num(),
  };
}

/** The shape a zod user writes for t3-env or plain parsing: coercion spelled out per variable. */
function coercingZodShape() {
  const duration = z.string().transform((text, context) => {
    const value = parseDuration(text);
    if (value === undefined) context.addIssue({ code: 'custom', message: 'invalid duration' });
    return value ?? 0;
  });
  const boolean = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] });
  return {
    PORT: z.coerce.number().int().default(3000),
    HOST: z.string().default('0.0.0.0'),
    NODE_ENV: z.enum(nodeEnvs),
    LOG_LEVEL: z.enum(levels).default('info'),
    DATABASE_URL: z.url(),
    DATABASE_POOL_MIN: z.coerce.number().int(),
    DATABASE_POOL_MAX: z.coerce.number().int(),
    DATABASE_SSL: boolean,
    REDIS_URL: z.url(),
    REDIS_TLS: boolean,
    JWT_SECRET: z.string().min(32),
    JWT_ISSUER: z.url(),
    JWT_TTL: duration,
    SESSION_TTL: duration,
    CORS_ORIGINS: z.string().transform((text) => text.split(',').map((item) => item.trim())),
    RATE_LIMIT_MAX: z.coerce.number().int(),
    RATE_LIMIT_WINDOW: duration,
    SMTP_HOST: z.string(),
    SMTP_PORT: z.coerce.number().int(),
    SMTP_USER: z.string(),
    SMTP_PASSWORD: z.string(),
    S3_BUCKET: z.string(),
    S3_REGION: z.string(),
    S3_ENDPOINT: z.url().optional(),
    FEATURE_FLAGS: z.string().transform((text) => JSON.parse(text) as Record<string, boolean>),
    SENTRY_DSN: z.url().optional(),
    METRICS_ENABLED: boolean,
    REQUEST_TIMEOUT: duration,
    SHUTDOWN_TIMEOUT: duration,
    WORKER_CONCURRENCY: z.coerce.number().int(),
  };
}

type Load = () => Record<string, unknown>;

function subjects(fresh: boolean): Record<string, Load> {
  const zodSchema = plinthZodSchema();
  const helpers = plinthHelpersSchema();
  const spec = envalidSpec();
  const shape = coercingZodShape();
  const object = z.object(shape);
  const options = { env: environment, envFiles: false } as const;
  return {
    '@plinth/config (zod)': () => loadConfig({ ...options, schema: fresh ? plinthZodSchema() : zodSchema }),
    '@plinth/config (env.* helpers)': () =>
      loadConfig({ ...options, schema: fresh ? plinthHelpersSchema() : helpers }),
    envalid: () => cleanEnv(environment, fresh ? envalidSpec() : spec),
    '@t3-oss/env-core + zod': () =>
      createEnv({
        server: fresh ? coercingZodShape() : shape,
        runtimeEnv: environment,
        emptyStringAsUndefined: true,
      }),
    'zod parse of the environment': () => (fresh ? z.object(coercingZodShape()) : object).parse(environment),
  };
}

// Every subject must produce the same values, or the comparison would be meaningless.
for (const [name, load] of Object.entries(subjects(false))) {
  const config = load();
  const sample = [
    config.PORT,
    config.JWT_TTL,
    config.DATABASE_SSL,
    config.METRICS_ENABLED,
    config.CORS_ORIGINS,
  ];
  const expected = [8080, 900_000, true, true, ['https://a.example.com', 'https://b.example.com']];
  if (JSON.stringify(sample) !== JSON.stringify(expected)) {
    throw new Error(`${name} loaded ${JSON.stringify(sample)}, expected ${JSON.stringify(expected)}`);
  }
}

/** µs per load over a batch sized to take about `targetMs`. */
function measure(load: Load, iterations: number): number {
  const started = performance.now();
  for (let index = 0; index < iterations; index++) load();
  return ((performance.now() - started) * 1000) / iterations;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const cases: ReadonlyArray<readonly [string, boolean]> = [
  ['load (schema built once)', false],
  ['build schema + load', true],
];
const results: Result[] = [];
for (const [caseName, fresh] of cases) {
  const loads = subjects(fresh);
  const names = Object.keys(loads);
  const iterations = new Map<string, number>();
  for (const name of names) {
    const load = loads[name] as Load;
    for (let index = 0; index < 20; index++) load(); // warm-up
    const perLoad = measure(load, 50);
    iterations.set(name, Math.max(5, Math.round((targetMs * 1000) / perLoad)));
  }
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    // Interleaved, in a rotating order, so drift on a shared machine hits every subject alike.
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(offset + round) % names.length] as string;
      samples.get(name)?.push(measure(loads[name] as Load, iterations.get(name) ?? 100));
    }
  }
  for (const name of names) {
    results.push({ case: caseName, subject: name, median: median(samples.get(name) ?? []), unit: 'µs/load' });
  }
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const reference = (caseName: string) =>
  results.find((result) => result.case === caseName && result.subject === '@plinth/config (zod)')?.median ??
  1;
const header = ['case', 'subject', 'median µs per load', 'ratio'];
const rows = results.map((result) => [
  result.case,
  result.subject,
  result.median.toFixed(1),
  `${(result.median / reference(result.case)).toFixed(2)}×`,
]);
// Padded the way biome formats markdown tables, so a bench run leaves `biome check` green.
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
);
const line = (cells: readonly string[]) =>
  `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
const table = [
  `Measured on ${cpus().length} cores, Node ${process.version}, ${rounds} interleaved rounds, medians (lower is better; ratio to @plinth/config with zod).`,
  '',
  line(header),
  line(widths.map((width) => '-'.repeat(width))),
  ...rows.map(line),
].join('\n');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
writeFileSync(
  readmeUrl,
  readme.replace(
    /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
    `<!-- bench:start -->\n${table}\n<!-- bench:end -->`,
  ),
);
console.log(table);
