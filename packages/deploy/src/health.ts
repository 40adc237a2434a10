// The health registry: checks, the started/shutting-down state, and the probe reports built from them.
import type { Check, CheckKind, CheckResult, HealthStatus } from './check.js';
import { type CheckRunner, createCheckRunner } from './check-runner.js';
import { assertDuration, DeployError } from './errors.js';
import {
  type HealthPaths,
  type HealthResponse,
  problem,
  renderHealthResponse,
  respondToHealthRequest,
} from './health-http.js';

/** The four probes: Kubernetes' three plus a summary of everything. */
export type ProbeKind = CheckKind | 'summary';

/** Descriptive fields of the health+json document, shown only in verbose output. */
export interface ServiceInfo {
  /** health+json `serviceId`. */
  serviceId?: string;
  /** health+json `version` (public version of the service). */
  version?: string;
  /** health+json `releaseId` (the deployed release, e.g. a git sha). */
  releaseId?: string;
  /** health+json `description`. */
  description?: string;
}

/** Options of {@link createHealth}. */
export interface HealthOptions {
  /** Checks to register at once; more can be added with `add`. */
  checks?: readonly Check[];
  /** Default per-check timeout in milliseconds. Default 2000. */
  timeout?: number;
  /** Default milliseconds a check result is reused. Default 1000. */
  cacheTtl?: number;
  /** Endpoint paths; defaults `/livez`, `/readyz`, `/startupz`, `/healthz`. */
  paths?: Partial<HealthPaths>;
  /**
   * Whether a request that asks for details (`?verbose`) gets them: a boolean or a function of
   * the Request (e.g. check a token or the client address). Default: true unless
   * `NODE_ENV === 'production'`.
   */
  verbose?: boolean | ((request: Request) => boolean);
  /** Descriptive fields shown in verbose output. */
  service?: ServiceInfo;
  /** Start in the started state (no `markStarted()` needed). Default false. */
  started?: boolean;
}

/** The outcome of one probe: the overall status and each check's result. */
export interface HealthReport {
  /** `fail` answers 503; `pass` and `warn` answer 200. */
  status: HealthStatus;
  /** The results of the checks this probe ran. */
  checks: CheckResult[];
  /** Why the probe failed without running checks (`not started`, `shutting down`). */
  notes: string[];
}

/**
 * A health registry: register checks, signal startup and shutdown, answer the probes.
 * `fetch` answers the health endpoints as a fetch handler; the adapters answer them in
 * node:http, Express and Fastify.
 */
export interface Health {
  /** The endpoint paths in use. */
  readonly paths: Readonly<HealthPaths>;
  /** True once `markStarted()` was called. */
  readonly started: boolean;
  /** True once `markShuttingDown()` was called (graceful shutdown calls it). */
  readonly shuttingDown: boolean;
  /** Registers a check; throws ERR_DEPLOY_DUPLICATE_CHECK when its name is taken. */
  add(check: Check): void;
  /** Signals that startup completed: startup passes, readiness starts running its checks. */
  markStarted(): void;
  /** Turns readiness to 503 at once; liveness keeps answering. */
  markShuttingDown(): void;
  /** Runs (or reuses) the checks of one probe and reports. */
  report(kind: ProbeKind): Promise<HealthReport>;
  /** Answers a health endpoint request; resolves `undefined` when the path is not a health path. */
  handle(request: Request): Promise<Response | undefined>;
  /** A fetch handler: answers the health endpoints and 404 (problem+json) for anything else. */
  fetch(request: Request): Promise<Response>;
  /** @internal The framework-free answer used by the adapters (no Request built unless needed). */
  respond(input: HealthRequestInput): Promise<HealthResponse | undefined>;
}

/** @internal What the adapters hand the core: no Request is built unless the verbose option needs it. */
export interface HealthRequestInput {
  method: string;
  pathname: string;
  /** The query with its `?` (or ''); called only when the `verbose` option may apply. */
  search: () => string;
  request: () => Request;
}

const defaultPaths: HealthPaths = {
  liveness: '/livez',
  readiness: '/readyz',
  startup: '/startupz',
  summary: '/healthz',
};

/**
 * Creates a health registry.
 *
 * @example
 * const health = createHealth({ checks: [postgresCheck(sql), eventLoopDelayCheck()] });
 * // ... once the app is ready to serve:
 * health.markStarted();
 */
export function createHealth(options: HealthOptions = {}): Health {
  const timeout = options.timeout ?? 2000;
  const cacheTtl = options.cacheTtl ?? 1000;
  assertDuration('createHealth: timeout', timeout);
  assertDuration('createHealth: cacheTtl', cacheTtl);
  const paths: HealthPaths = { ...defaultPaths, ...options.paths };
  for (const [probe, path] of Object.entries(paths)) {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new DeployError(
        'ERR_DEPLOY_INVALID_OPTION',
        `createHealth: paths.${probe} must start with "/", got ${String(path)}.`,
      );
    }
  }
  const verbose = options.verbose ?? process.env.NODE_ENV !== 'production';
  if (typeof verbose !== 'boolean' && typeof verbose !== 'function') {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      'createHealth: verbose must be a boolean or a function of the Request.',
    );
  }
  const runners = new Map<string, CheckRunner>();
  let started = options.started ?? false;
  let shuttingDown = false;

  function add(check: Check): void {
    if (typeof check?.name !== 'string' || check.name === '' || typeof check.run !== 'function') {
      throw new DeployError(
        'ERR_DEPLOY_INVALID_OPTION',
        'A check needs a non-empty `name` and a `run(signal)` function.',
      );
    }
    if (runners.has(check.name)) {
      throw new DeployError(
        'ERR_DEPLOY_DUPLICATE_CHECK',
        `A check named "${check.name}" is already registered; give each check a unique name.`,
      );
    }
    if (check.timeout !== undefined) assertDuration(`check "${check.name}": timeout`, check.timeout);
    if (check.cacheTtl !== undefined) assertDuration(`check "${check.name}": cacheTtl`, check.cacheTtl);
    runners.set(check.name, createCheckRunner(check, { timeout, cacheTtl }));
  }
  for (const check of options.checks ?? []) add(check);

  async function report(kind: ProbeKind): Promise<HealthReport> {
    const notes: string[] = [];
    if (kind === 'startup' && !started) notes.push('not started');
    if (kind === 'readiness' || kind === 'summary') {
      if (!started) notes.push('not started');
      if (shuttingDown) notes.push('shutting down');
    }
    // Readiness does not touch the dependencies while it must fail anyway.
    if (kind !== 'summary' && notes.length > 0) return { status: 'fail', checks: [], notes };
    const selected = [...runners.values()].filter(
      (runner) => kind === 'summary' || (runner.check.kinds ?? ['readiness']).includes(kind),
    );
    const checks = await Promise.all(selected.map((runner) => runner.result()));
    return { status: notes.length > 0 ? 'fail' : overallStatus(checks), checks, notes };
  }

  const health: Health = {
    paths,
    get started() {
      return started;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    add,
    markStarted() {
      started = true;
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    report,
    respond: (input) =>
      respondToHealthRequest(input, { paths, verbose, service: options.service ?? {}, report }),
    async handle(request) {
      const url = new URL(request.url);
      const answer = await health.respond({
        method: request.method,
        pathname: url.pathname,
        search: () => url.search,
        request: () => request,
      });
      return answer === undefined ? undefined : renderHealthResponse(answer);
    },
    async fetch(request) {
      const response = await health.handle(request);
      if (response !== undefined) return response;
      return renderHealthResponse(
        problem(404, 'NOT_FOUND', 'This server answers only the health endpoints.'),
      );
    },
  };
  return health;
}

/** Worst status wins; a non-critical failure only warns. */
function overallStatus(checks: readonly CheckResult[]): HealthStatus {
  let status: HealthStatus = 'pass';
  for (const check of checks) {
    if (check.status === 'fail' && check.critical) return 'fail';
    if (check.status !== 'pass') status = 'warn';
  }
  return status;
}
