// Ways to ask a running server for a CPU profile or heap snapshot: a signal (`kill -USR2 <pid>`), or
// a guarded development endpoint (POST, a custom header, never in production, optional token).
import { timingSafeEqual } from 'node:crypto';
import { isProduction } from './dev-error-page.js';
import { assertNonNegative, DevtoolsError } from './errors.js';
import type { MiddlewareContext } from './middleware-context.js';
import { reasonPhrase } from './problem-schemas.js';
import { captureCpuProfile, writeHeapSnapshot } from './profiler.js';

/** Where a profile went, or why it failed. */
export interface ProfileLogger {
  info(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** Options of {@link profileOnSignal}. */
export interface ProfileOnSignalOptions {
  /** The signal; `SIGUSR2` by default (node keeps SIGUSR1 for its inspector). */
  signal?: NodeJS.Signals;
  /** Folder of the files; the working directory by default. */
  dir?: string;
  /** CPU profile length in ms; 5000 by default, 0 for a heap snapshot only. */
  cpuDuration?: number;
  /** Also write a heap snapshot (after the CPU profile); `true` by default. */
  heapSnapshot?: boolean;
  /** Where the file paths are logged; `console` by default. */
  logger?: ProfileLogger;
}

const consoleLogger: ProfileLogger = {
  info: (object, message) => console.info(message, object),
  error: (object, message) => console.error(message, object),
};

/**
 * On `signal`, records a CPU profile and writes a heap snapshot, and logs where. Returns a function
 * that removes the listener.
 *
 * @example
 * profileOnSignal({ dir: 'profiles' }); // then: kill -USR2 <pid>
 */
export function profileOnSignal(options: ProfileOnSignalOptions = {}): () => void {
  const signal = options.signal ?? 'SIGUSR2';
  if (signal === 'SIGUSR1') {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_OPTION',
      "SIGUSR1 opens node's own inspector; use SIGUSR2 (the default).",
    );
  }
  const cpuDuration = options.cpuDuration ?? 5000;
  assertNonNegative('cpuDuration', cpuDuration);
  const logger = options.logger ?? consoleLogger;
  const listener = () => {
    const run = async () => {
      const files: string[] = [];
      if (cpuDuration > 0) files.push(await captureCpuProfile({ duration: cpuDuration, dir: options.dir }));
      if (options.heapSnapshot !== false) files.push(await writeHeapSnapshot({ dir: options.dir }));
      logger.info({ files, signal }, 'profile written');
    };
    run().catch((error: unknown) => logger.error({ err: error, signal }, 'profile failed'));
  };
  process.on(signal, listener);
  return () => {
    process.off(signal, listener);
  };
}

/** Options of the profiling endpoints of every adapter. */
export interface ProfilingEndpointsOptions {
  /** Where the endpoints live; `/__devtools` by default (`/cpu-profile`, `/heap-snapshot` below it). */
  path?: string;
  /** Folder of the files; the working directory by default. */
  dir?: string;
  /** Require `Authorization: Bearer <token>` too. */
  token?: string;
  /** The longest CPU profile a request may ask for, in ms; 30000 by default. */
  maxDuration?: number;
}

/** The header a caller must send: a cross-site form cannot set it, so a page cannot trigger a profile. */
export const PROFILING_HEADER = 'x-plinth-devtools';

/** Internal: what the endpoints need of a request. */
export interface ProfilingRequest {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  header(name: string): string | undefined;
}

/** Internal: answers the profiling endpoints; undefined for other requests (and always in production). */
export type ProfilingResponder = (request: ProfilingRequest) => Promise<Response> | undefined;

/** Internal: the responder, options validated at creation. */
export function createProfilingResponder(options: ProfilingEndpointsOptions = {}): ProfilingResponder {
  const base = options.path ?? '/__devtools';
  if (!base.startsWith('/') || base.endsWith('/')) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_OPTION',
      `path must start with "/" and not end with one, got "${base}".`,
    );
  }
  const maxDuration = options.maxDuration ?? 30_000;
  assertNonNegative('maxDuration', maxDuration);
  const token = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
  return (request) => {
    const kind =
      request.path === `${base}/cpu-profile`
        ? 'cpu'
        : request.path === `${base}/heap-snapshot`
          ? 'heap'
          : undefined;
    if (kind === undefined || isProduction()) return undefined;
    if (request.method !== 'POST') return Promise.resolve(problem(405, 'Use POST.', { allow: 'POST' }));
    if (request.header(PROFILING_HEADER) !== '1') {
      return Promise.resolve(problem(403, `Send the header "${PROFILING_HEADER}: 1".`));
    }
    if (token !== undefined) {
      const given = Buffer.from(request.header('authorization') ?? '');
      if (given.length !== token.length || !timingSafeEqual(given, token)) {
        return Promise.resolve(
          problem(401, 'A valid bearer token is required.', { 'www-authenticate': 'Bearer' }),
        );
      }
    }
    const duration = Number(new URLSearchParams(request.search).get('duration') ?? 5000);
    if (!Number.isFinite(duration) || duration < 0 || duration > maxDuration) {
      return Promise.resolve(problem(400, `duration must be 0..${maxDuration} ms.`));
    }
    const work =
      kind === 'cpu'
        ? captureCpuProfile({ duration, dir: options.dir })
        : writeHeapSnapshot({ dir: options.dir });
    return work.then(
      (file) => Response.json({ file }, { status: 201 }),
      (error: unknown) =>
        (error as { code?: string }).code === 'ERR_DEVTOOLS_PROFILER_BUSY'
          ? problem(409, (error as Error).message)
          : Promise.reject(error),
    );
  };
}

/**
 * Fetch-style middleware: `POST /__devtools/cpu-profile?duration=2000` and `POST /__devtools/heap-snapshot`
 * write a file and answer `{ file }`. Never served when NODE_ENV=production; callers must send the
 * `x-plinth-devtools: 1` header (and the bearer token when `token` is set).
 */
export function profilingEndpoints(
  options: ProfilingEndpointsOptions = {},
): (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response> {
  const respond = createProfilingResponder(options);
  // Not async: other requests get next()'s own promise. The Request is read only for the query of a
  // profiling request that passed every check.
  return (ctx, next) => {
    let answer: Promise<Response> | undefined;
    try {
      answer = respond({
        method: ctx.method,
        path: ctx.path,
        get search() {
          return new URL(ctx.request.url).search;
        },
        header: (name) => ctx.header(name),
      });
    } catch (error) {
      return Promise.reject(error);
    }
    return answer === undefined ? next() : answer;
  };
}

function problem(status: number, detail: string, headers: Record<string, string> = {}): Response {
  const title = reasonPhrase(status);
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail,
    code: title.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
  });
  return new Response(body, {
    status,
    headers: {
      ...headers,
      'content-type': 'application/problem+json',
      'content-length': String(Buffer.byteLength(body)),
    },
  });
}
