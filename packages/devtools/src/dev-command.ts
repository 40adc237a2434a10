// `plinth-devtools dev <entry>`: runs the app under `node --watch` (TypeScript through tsx), so it
// restarts on every change of a file it imports, with the same environment and so the same PORT.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DevtoolsError } from './errors.js';
import { resolveTsx } from './load-app.js';

/** Internal: the node arguments that run `entry` in watch mode. */
export function devArguments(entry: string, args: readonly string[] = []): string[] {
  const path = resolve(entry);
  if (!existsSync(path)) {
    throw new DevtoolsError('ERR_DEVTOOLS_APP_MODULE', `dev ${entry}: no such file (resolved to ${path}).`);
  }
  const node = ['--watch', '--watch-preserve-output'];
  if (/\.[mc]?tsx?$/.test(path)) {
    const tsx = resolveTsx(dirname(path));
    if (tsx === undefined) {
      throw new DevtoolsError(
        'ERR_DEVTOOLS_APP_MODULE',
        `${entry} is TypeScript: install tsx (pnpm add -D tsx).`,
      );
    }
    // tsx's loader by path, so it need not be resolvable from the working directory.
    const manifest = JSON.parse(readFileSync(join(tsx, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const loader = manifest.exports['.'];
    node.push(
      '--import',
      pathToFileURL(join(tsx, typeof loader === 'string' ? loader : 'dist/loader.mjs')).href,
    );
  }
  return [...node, path, ...args];
}

/** Internal: runs the app until this process is told to stop; resolves with its exit code. */
export function runDev(entry: string, args: readonly string[] = []): Promise<number> {
  const child = spawn(process.execPath, devArguments(entry, args), {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'development' },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolveExit(code ?? (signal === null ? 0 : 1));
    });
  });
}
