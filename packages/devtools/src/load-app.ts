// Loads the module a CLI command names (`--app src/app.ts`) and finds its routes: an export that
// is a RouteSource, or `{ source, ...OpenApiOptions }`, or a function returning either.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DevtoolsError } from './errors.js';
import type { OpenApiOptions } from './openapi.js';
import type { RouteSource } from './route-source.js';

/** What a module hands the CLI: its routes and the document options. */
export interface LoadedApp {
  readonly source: RouteSource;
  readonly options: OpenApiOptions;
}

const DEFAULT_EXPORTS = ['openapi', 'app', 'routes', 'default'];

/** Internal: the folder of `tsx` for TypeScript entry points, from the entry's folder, the cwd, then ours. */
export function resolveTsx(from: string): string | undefined {
  for (const base of [join(from, 'noop.js'), join(process.cwd(), 'noop.js'), import.meta.url]) {
    try {
      return dirname(createRequire(base).resolve('tsx/package.json'));
    } catch {
      // try the next place
    }
  }
  return undefined;
}

/** Internal: imports `file` (TypeScript through tsx when installed) and picks the export. */
export async function loadApp(file: string, exportName?: string): Promise<LoadedApp> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new DevtoolsError('ERR_DEVTOOLS_APP_MODULE', `--app ${file}: no such file (resolved to ${path}).`);
  }
  if (/\.[mc]?tsx?$/.test(path)) await registerTsx(path);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const names = exportName === undefined ? DEFAULT_EXPORTS : [exportName];
  const name = names.find((candidate) => module[candidate] !== undefined);
  if (name === undefined) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_APP_MODULE',
      `--app ${file} exports none of ${names.join(', ')}; export your app (its \`routes\`), a list of routes, or { source, info, ... }.`,
    );
  }
  let value = module[name];
  if (typeof value === 'function' && !isRouteSource(value)) value = await (value as () => unknown)();
  if (value !== null && typeof value === 'object' && 'source' in value) {
    const { source, ...options } = value as { source: RouteSource } & OpenApiOptions;
    if (isRouteSource(source)) return { source, options };
  }
  if (isRouteSource(value)) return { source: value, options: {} };
  throw new DevtoolsError(
    'ERR_DEVTOOLS_APP_MODULE',
    `The export "${name}" of ${file} is not a RouteSource (an object with \`routes\`, or a list of { method, path, meta }).`,
  );
}

function isRouteSource(value: unknown): value is RouteSource {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  return 'routes' in value || Symbol.iterator in value;
}

async function registerTsx(path: string): Promise<void> {
  const tsx = resolveTsx(dirname(path));
  if (tsx === undefined) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_APP_MODULE',
      `${path} is TypeScript: install tsx (pnpm add -D tsx), or point --app at the built JavaScript.`,
    );
  }
  // tsx's own ESM entry of its register API (its package "exports" of ./esm/api, import condition).
  const manifest = JSON.parse(readFileSync(join(tsx, 'package.json'), 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = join(tsx, manifest.exports['./esm/api']!.import.default);
  const { register } = (await import(pathToFileURL(api).href)) as { register: () => unknown };
  register();
}
