#!/usr/bin/env node
// plinth-db: applies migrations, lists them, and creates new ones with drizzle-kit. It never
// prompts: under CI (or without a terminal) drizzle-kit gets no input and fails instead of asking.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase } from './database.js';
import { DbError } from './errors.js';
import { type MigrateOptions, migrate, migrationStatus } from './migrate.js';

const usage = `Usage:
  plinth-db migrate [--dir ./drizzle] [--url <url>] [--lock-timeout 60000]
  plinth-db status  [--dir ./drizzle] [--url <url>]
  plinth-db create <name> [--config drizzle.config.ts] [--custom]

  --dir           the migration folder (drizzle-kit's "out"), default ./drizzle
  --url           the database, default $DATABASE_URL (postgres://..., or a PGlite directory)
  --table         the journal table, default plinth_migrations (--schema, default public)
  --lock-timeout  ms to wait for another process's migration lock, default 60000
  --config        drizzle-kit's config file (create)
  --custom        create an empty migration to write by hand (create)
`;

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: './drizzle' },
      url: { type: 'string' },
      table: { type: 'string' },
      schema: { type: 'string' },
      'lock-timeout': { type: 'string' },
      config: { type: 'string' },
      custom: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

type Parsed = ReturnType<typeof parse>;

function databaseUrl(values: Parsed['values'], env: NodeJS.ProcessEnv): string {
  const url = values.url ?? env.DATABASE_URL;
  if (!url) {
    throw new DbError(
      'ERR_DB_INVALID_URL',
      'Set DATABASE_URL (or pass --url) to the database to migrate, e.g. postgres://user:password@host:5432/name.',
    );
  }
  return url;
}

async function runMigrations(
  command: 'migrate' | 'status',
  values: Parsed['values'],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const lockTimeout = values['lock-timeout'] === undefined ? undefined : Number(values['lock-timeout']);
  const options: MigrateOptions = {
    folder: resolve(values.dir!),
    ...(values.table === undefined ? {} : { table: values.table }),
    ...(values.schema === undefined ? {} : { schema: values.schema }),
    ...(lockTimeout === undefined ? {} : { lockTimeout }),
  };
  const db = await createDatabase({ url: databaseUrl(values, env), applicationName: 'plinth-db', max: 1 });
  try {
    return command === 'migrate' ? await applyMigrations(db, options) : await printStatus(db, options);
  } finally {
    await db.close();
  }
}

async function applyMigrations(db: object, options: MigrateOptions): Promise<number> {
  const { applied } = await migrate(db, options);
  process.stdout.write(
    applied.length === 0
      ? 'plinth-db: nothing to apply, the database is up to date\n'
      : applied.map((name) => `plinth-db: applied ${name}\n`).join(''),
  );
  return 0;
}

async function printStatus(db: object, options: MigrateOptions): Promise<number> {
  const status = await migrationStatus(db, options);
  const lines = [
    ...status.applied.map(({ name, appliedAt }) => {
      const mark = status.changed.includes(name)
        ? 'CHANGED'
        : status.missing.includes(name)
          ? 'MISSING'
          : 'applied';
      return `${mark.padEnd(8)} ${name}  ${appliedAt.toISOString()}`;
    }),
    ...status.pending.map((name) => `pending  ${name}`),
  ];
  process.stdout.write(`${lines.join('\n') || 'no migrations'}\n`);
  if (status.changed.length > 0 || status.missing.length > 0) {
    process.stderr.write(
      'plinth-db: applied migrations were edited (CHANGED) or removed (MISSING); restore them and put changes in a new migration\n',
    );
    return 1;
  }
  return 0;
}

function create(
  name: string | undefined,
  values: Parsed['values'],
  cwd: string,
  env: NodeJS.ProcessEnv,
): number {
  if (!name || !/^[a-z0-9_]+$/i.test(name)) {
    throw new DbError(
      'ERR_DB_INVALID_OPTION',
      'Name the migration with letters, digits and _: plinth-db create add_users',
    );
  }
  let bin: string;
  try {
    // drizzle-kit's exports hide bin.cjs: find it beside the package's main file.
    bin = join(dirname(createRequire(join(cwd, 'package.json')).resolve('drizzle-kit')), 'bin.cjs');
  } catch (error) {
    throw new DbError(
      'ERR_DB_DRIVER_MISSING',
      'plinth-db create runs drizzle-kit: run `pnpm add -D drizzle-kit`.',
      {
        cause: error,
      },
    );
  }
  const args = [bin, 'generate', '--name', name];
  if (values.config) args.push('--config', values.config);
  if (values.custom) args.push('--custom');
  // drizzle-kit asks about ambiguous renames; under CI there is nobody to answer, so it gets no stdin.
  const interactive = !env.CI && process.stdin.isTTY === true;
  const result = spawnSync(process.execPath, args, {
    cwd,
    env,
    stdio: [interactive ? 'inherit' : 'ignore', 'inherit', 'inherit'],
    timeout: interactive ? undefined : 120_000,
  });
  if (result.status !== 0 && !interactive) {
    process.stderr.write(
      'plinth-db: drizzle-kit generate failed without a terminal; if it needed to ask about a rename, run `plinth-db create` locally and commit the migration\n',
    );
  }
  return result.status ?? 1;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], cwd = process.cwd(), env = process.env): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`plinth-db: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  const [command, name] = positionals;
  try {
    if (command === 'migrate' || command === 'status') return await runMigrations(command, values, env);
    if (command === 'create') return create(name, values, cwd, env);
    process.stderr.write(`plinth-db: unknown command "${command}"\n\n${usage}`);
    return 2;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    process.stderr.write(
      `plinth-db: ${(error as Error).message}${typeof code === 'string' ? ` [${code}]` : ''}\n`,
    );
    return 1;
  }
}

// Run when executed as the bin (not when a test imports `main`).
const invoked = process.argv[1] ?? '';
if (/plinth-db$|cli\.(c?js|ts)$/.test(invoked)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
