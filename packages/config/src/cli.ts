#!/usr/bin/env node
// The `plinth-config` command: `plinth-config example <module> [export] [--out <file>]` prints (or
// writes) the .env.example of a definition a module exports. For a .ts module run it under tsx:
// `NODE_OPTIONS='--import tsx' plinth-config example src/config.ts`.

import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigDefinition } from './definition.js';
import { isConfigError } from './errors.js';
import { generateExample } from './example.js';
import { isStandardSchema } from './standard-schema.js';

const usage = `Usage: plinth-config example <module> [export] [--out <file>]

Prints the .env.example of the configuration definition that <module> exports.
  <module>      path to a module exporting defineConfig({...}), a z.object(...) or a record of schemas
  [export]      the export's name; default: the only export that is a definition or schema
  --out <file>  write to <file> instead of stdout

For a TypeScript module, run under tsx: NODE_OPTIONS='--import tsx' plinth-config example src/config.ts`;

/** A usage mistake: printed with the usage text, exit code 2. */
class UsageError extends Error {}

interface Arguments {
  readonly modulePath: string;
  readonly exportName: string | undefined;
  readonly out: string | undefined;
}

function parseArguments(argv: readonly string[]): Arguments | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const positional: string[] = [];
  let out: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '--out' || argument === '-o') {
      out = argv[++index];
      if (out === undefined || out === '') throw new UsageError('--out needs a file name');
    } else if (argument.startsWith('--out=')) {
      out = argument.slice('--out='.length);
    } else if (argument.startsWith('-')) {
      throw new UsageError(`unknown option ${argument}`);
    } else {
      positional.push(argument);
    }
  }
  const [command, modulePath, exportName, extra] = positional;
  if (command !== 'example')
    throw new UsageError(command === undefined ? 'missing command' : `unknown command ${command}`);
  if (modulePath === undefined) throw new UsageError('missing <module>');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  return { modulePath, exportName, out };
}

/** The definition an export holds: a definition, an object schema, or a record of schemas. */
function asDefinition(value: unknown): ConfigDefinition | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (isStandardSchema(value)) return { schema: value as ConfigDefinition['schema'] };
  const schema = (value as { schema?: unknown }).schema;
  if (typeof schema === 'object' && schema !== null) return value as ConfigDefinition;
  const members = Object.values(value);
  if (members.length > 0 && members.every(isStandardSchema))
    return { schema: value as ConfigDefinition['schema'] };
  return undefined;
}

async function importModule(modulePath: string): Promise<Record<string, unknown>> {
  const path = resolve(modulePath);
  if (!existsSync(path)) throw new Error(`cannot find the module ${modulePath} (resolved to ${path})`);
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new Error(
        `cannot import ${modulePath}: Node cannot run TypeScript by itself; run under tsx: NODE_OPTIONS='--import tsx' plinth-config example ${modulePath}`,
      );
    }
    throw error;
  }
}

function pickDefinition(exports: Record<string, unknown>, modulePath: string, name: string | undefined) {
  if (name !== undefined) {
    if (!(name in exports)) {
      throw new Error(
        `${modulePath} has no export named ${name}; it exports: ${Object.keys(exports).join(', ') || 'nothing'}`,
      );
    }
    const definition = asDefinition(exports[name]);
    if (definition === undefined) {
      throw new Error(
        `the export ${name} of ${modulePath} is not a definition, an object schema or a record of schemas`,
      );
    }
    return definition;
  }
  const candidates = Object.entries(exports).flatMap(([key, value]) => {
    const definition = asDefinition(value);
    return definition === undefined ? [] : [[key, definition] as const];
  });
  const [only, second] = candidates;
  if (only === undefined)
    throw new Error(`${modulePath} exports no definition or schema; export defineConfig({...})`);
  if (second !== undefined) {
    throw new Error(
      `${modulePath} exports several definitions (${candidates.map(([key]) => key).join(', ')}); name one: plinth-config example ${modulePath} <export>`,
    );
  }
  return only[1];
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: Arguments | 'help';
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`plinth-config: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    const exports = await importModule(parsed.modulePath);
    const text = generateExample(pickDefinition(exports, parsed.modulePath, parsed.exportName));
    if (parsed.out === undefined) process.stdout.write(text);
    else {
      writeFileSync(parsed.out, text);
      process.stderr.write(`plinth-config: wrote ${parsed.out}\n`);
    }
    return 0;
  } catch (error) {
    const message = isConfigError(error) || error instanceof Error ? error.message : String(error);
    process.stderr.write(`plinth-config: ${message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`plinth-config: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
