#!/usr/bin/env node
// plinth-devtools: the OpenAPI document of an app (print, write, or check for drift in CI), its route
// table, and a development runner that restarts on change.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runDev } from './dev-command.js';
import { diffDocuments, formatDifferences } from './document-diff.js';
import { loadApp } from './load-app.js';
import { generateOpenApi } from './openapi.js';
import { formatRouteTable } from './route-table.js';

const usage = `Usage:
  plinth-devtools openapi --app <module> [--export <name>] [--out <file> | --check <file>]
  plinth-devtools routes --app <module> [--export <name>]
  plinth-devtools dev <entry> [-- <args>]

  --app     the module with your routes (.js, or .ts with tsx installed); it exports a RouteSource
            (your @plinth/http app, a list of { method, path, meta }) or { source, info, ... },
            as "openapi", "app", "routes" or default, or a function returning one
  --export  the export to read instead
  --out     write the document to <file> (default: print it)
  --check   exit 1, printing the difference, when <file> differs from the routes (for CI)
  dev       run <entry> with node --watch (tsx for .ts): restarts on change, same PORT
`;

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'dev') {
      const separator = rest.indexOf('--');
      const [entry, ...args] =
        separator === -1 ? rest : [...rest.slice(0, separator), ...rest.slice(separator + 1)];
      if (entry === undefined) return fail('dev needs the entry file of your server.');
      return await runDev(entry, args);
    }
    if (command !== 'openapi' && command !== 'routes')
      return fail(command === undefined ? '' : `unknown command "${command}".`);
    const { values } = parseArgs({
      args: [...rest],
      options: {
        app: { type: 'string' },
        export: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'string' },
      },
    });
    if (values.app === undefined) return fail('--app <module> is required.');
    const { source, options } = await loadApp(values.app, values.export);
    if (command === 'routes') {
      console.log(formatRouteTable(source));
      return 0;
    }
    const document = generateOpenApi(source, options);
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (values.check !== undefined) return check(values.check, document, values);
    if (values.out !== undefined) {
      writeFileSync(values.out, text);
      console.error(`wrote ${values.out} (${Object.keys(document.paths).length} paths)`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } catch (error) {
    console.error(`plinth-devtools: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
}

function check(file: string, document: object, values: { app?: string; export?: string }): number {
  const write = `plinth-devtools openapi --app ${values.app}${values.export ? ` --export ${values.export}` : ''} --out ${file}`;
  if (!existsSync(file)) {
    console.error(`${file} does not exist; write it with:\n  ${write}`);
    return 1;
  }
  let committed: unknown;
  try {
    committed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file} is not valid JSON (${(error as Error).message}); rewrite it with:\n  ${write}`);
    return 1;
  }
  const differences = diffDocuments(committed, document);
  if (differences.length === 0) {
    console.log(`${file} matches the routes.`);
    return 0;
  }
  console.error(
    `${file} differs from the routes (${differences.length} difference${differences.length === 1 ? '' : 's'}; - committed, + routes):`,
  );
  console.error(formatDifferences(differences));
  console.error(`\nIf the change is intended, update the file:\n  ${write}`);
  return 1;
}

function fail(message: string): number {
  if (message !== '') console.error(`plinth-devtools: ${message}\n`);
  console.error(usage);
  return 2;
}

// Run when executed, not when imported (tests import main).
const self = fileURLToPath(import.meta.url);
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === self) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
}
