// Graceful shutdown: on a signal, fail readiness, wait for load balancers, drain the servers,
// close resources in reverse order, all within one timeout, then exit.
import { constants } from 'node:os';
import { type Closable, closeClosable, isClosable } from './closable.js';
import { assertDuration, DeployError } from './errors.js';
import { createConsoleLogger, type Logger } from './logger.js';
import { isFrameworkServer, isNodeServer, type NodeServer, watchNodeServer } from './server-drain.js';

/** A server shutdown drains: a node:http server (Express's `app.listen()` result) or any Closable (Fastify, @plinth/http). */
export type ShutdownServer = NodeServer | Closable;

/** Where signals come from; `process` by default, an EventEmitter in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Options of {@link createShutdown}. */
export interface ShutdownOptions {
  /** The health registry whose readiness turns 503 the moment shutdown begins. */
  health?: { markShuttingDown(): void };
  /** Milliseconds between failing readiness and closing the servers, for load balancers to notice. Default 5000 when `NODE_ENV === 'production'`, else 0. */
  readinessDelay?: number;
  /** Milliseconds the whole shutdown may take, delay included, before exiting 1. Default 25000 (inside Kubernetes' 30 s grace period). */
  timeout?: number;
  /** Signals that start the shutdown; a second one forces exit. Default `['SIGTERM', 'SIGINT']`. */
  signals?: readonly NodeJS.Signals[];
  /** Where to listen for signals. Default `process`. */
  signalSource?: SignalSource;
  /** Called with the exit code when shutdown ends; `false` to not exit. Default `process.exit`. */
  exit?: ((code: number) => void) | false;
  /** A pino-compatible logger. Default: JSON lines on the console. */
  logger?: Logger;
  /** Servers to drain (same as calling `addServer`). */
  servers?: readonly ShutdownServer[];
  /** Resources to close after the servers, in reverse order (same as calling `add`). */
  closables?: readonly Closable[];
}

/** What a shutdown achieved. */
export interface ShutdownResult {
  /** 0 when everything finished, 1 when something failed or the timeout struck (at least the `exitCode` asked for). */
  code: number;
  /** What started it: the signal name or the reason passed to `shutdown()`. */
  reason: string;
  /** Milliseconds from start to end. */
  duration: number;
  /** Names of the steps that did not finish in time. */
  unfinished: string[];
  /** Names and messages of the steps that threw. */
  failed: { name: string; error: string }[];
}

/** The coordinator returned by {@link createShutdown}. */
export interface Shutdown {
  /** Adds a server to drain; a node:http server is watched from now on. */
  addServer(server: ShutdownServer, name?: string): void;
  /** Adds a resource to close after the servers; resources close in reverse order of adding. */
  add(closable: Closable, name?: string): void;
  /**
   * Starts the shutdown (signals call this); later calls return the same promise. Pass `exitCode`
   * when the cause is itself a failure (a fatal error): the process then exits with it even when the
   * drain succeeds.
   */
  shutdown(reason?: string, options?: { exitCode?: number }): Promise<ShutdownResult>;
  /** True once the shutdown has started. */
  readonly shuttingDown: boolean;
  /** Stops listening for signals. */
  removeSignalHandlers(): void;
}

interface Step {
  name: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  detail?: () => string;
}

/**
 * Creates the graceful-shutdown coordinator and listens for SIGTERM and SIGINT. A second signal
 * during shutdown exits at once with 128 + the signal number (130 for SIGINT, 143 for SIGTERM).
 *
 * @example
 * const shutdown = createShutdown({ health, readinessDelay: 5000 });
 * shutdown.addServer(server);
 * shutdown.add(sql, 'postgres');
 */
export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const readinessDelay = options.readinessDelay ?? (process.env.NODE_ENV === 'production' ? 5000 : 0);
  const timeout = options.timeout ?? 25_000;
  assertDuration('createShutdown: readinessDelay', readinessDelay);
  assertDuration('createShutdown: timeout', timeout);
  if (readinessDelay >= timeout) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      `createShutdown: readinessDelay (${readinessDelay} ms) must be shorter than timeout (${timeout} ms), or nothing is left to drain in.`,
    );
  }
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  for (const signal of signals) {
    if (!(signal in constants.signals)) {
      throw new DeployError(
        'ERR_DEPLOY_INVALID_OPTION',
        `createShutdown: "${signal}" is not a signal name (e.g. SIGTERM).`,
      );
    }
  }
  const logger = options.logger ?? createConsoleLogger();
  const exit = options.exit === undefined ? (code: number) => process.exit(code) : options.exit;
  const source: SignalSource = options.signalSource ?? process;
  const servers: { step: Step; close: () => Promise<void>; force?: () => void }[] = [];
  const closables: { step: Step; closable: Closable }[] = [];
  let running: Promise<ShutdownResult> | undefined;

  function assertNotStarted(what: string): void {
    if (running !== undefined) {
      throw new DeployError(
        'ERR_DEPLOY_SHUTTING_DOWN',
        `Cannot ${what} after shutdown began; register it at startup.`,
      );
    }
  }

  function addServer(server: ShutdownServer, name?: string): void {
    assertNotStarted('add a server');
    const label = name ?? `server #${servers.length + 1}`;
    if (isNodeServer(server)) {
      const drain = watchNodeServer(server);
      servers.push({
        step: { name: label, state: 'waiting', detail: drain.pending },
        close: drain.drain,
        force: drain.force,
      });
    } else if (isFrameworkServer(server)) {
      // Fastify (and the like) close their listener through their own close(), with its hooks;
      // the watch adds what close() alone leaves out: keep-alive sockets closed after their response.
      const drain = watchNodeServer(server.server);
      const close = async () => {
        drain.closeKeepAlive();
        await server.close();
      };
      servers.push({
        step: { name: label, state: 'waiting', detail: drain.pending },
        close,
        force: drain.force,
      });
    } else if (isClosable(server)) {
      servers.push({ step: { name: label, state: 'waiting' }, close: () => closeClosable(server) });
    } else {
      throw new DeployError(
        'ERR_DEPLOY_INVALID_OPTION',
        'addServer takes a node:http server or an object with close(); got neither.',
      );
    }
  }

  function add(closable: Closable, name?: string): void {
    assertNotStarted('add a closable');
    if (!isClosable(closable)) {
      throw new DeployError(
        'ERR_DEPLOY_INVALID_OPTION',
        'add takes an object with close() or [Symbol.asyncDispose](); got neither.',
      );
    }
    closables.push({
      step: { name: name ?? `closable #${closables.length + 1}`, state: 'waiting' },
      closable,
    });
  }

  for (const server of options.servers ?? []) addServer(server);
  for (const closable of options.closables ?? []) add(closable);

  const failed: ShutdownResult['failed'] = [];
  async function runStep(step: Step, work: () => Promise<void>): Promise<void> {
    step.state = 'running';
    try {
      await work();
      step.state = 'done';
    } catch (error) {
      step.state = 'failed';
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ name: step.name, error: message });
      logger.error({ step: step.name, err: message }, `shutdown: ${step.name} failed to close`);
    }
  }

  async function run(reason: string, exitCode: number): Promise<ShutdownResult> {
    const started = performance.now();
    options.health?.markShuttingDown();
    logger.info({ reason, readinessDelay, timeout }, 'shutdown: readiness fails from now on');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, timeout, 'timeout');
    });
    const work = async (): Promise<'done'> => {
      if (readinessDelay > 0) await new Promise((resolve) => setTimeout(resolve, readinessDelay));
      logger.info({ servers: servers.length }, 'shutdown: draining servers');
      await Promise.all(servers.map((server) => runStep(server.step, server.close)));
      for (const { step, closable } of [...closables].reverse())
        await runStep(step, () => closeClosable(closable));
      return 'done';
    };
    const outcome = await Promise.race([work(), timedOut]);
    clearTimeout(timer);
    const steps = [...servers.map((server) => server.step), ...closables.map((entry) => entry.step)];
    const unfinished = steps.filter((step) => step.state === 'waiting' || step.state === 'running');
    if (outcome === 'timeout') {
      for (const server of servers) if (server.step.state === 'running') server.force?.();
      const names = unfinished.map((step) => (step.detail ? `${step.name} (${step.detail()})` : step.name));
      logger.error(
        { unfinished: names, timeout },
        `shutdown: timed out after ${timeout} ms; not finished: ${names.join(', ') || 'readiness delay'}`,
      );
    }
    const code = Math.max(exitCode, outcome === 'timeout' || failed.length > 0 ? 1 : 0);
    const duration = Math.round(performance.now() - started);
    if (outcome !== 'timeout' && failed.length === 0) logger.info({ duration, code }, 'shutdown: complete');
    removeSignalHandlers();
    const result: ShutdownResult = {
      code,
      reason,
      duration,
      unfinished: unfinished.map((step) => step.name),
      failed,
    };
    if (exit !== false) exit(code);
    return result;
  }

  function shutdown(
    reason = 'shutdown()',
    { exitCode = 0 }: { exitCode?: number } = {},
  ): Promise<ShutdownResult> {
    running ??= run(reason, exitCode);
    return running;
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (running === undefined) {
      void shutdown(signal);
      return;
    }
    // A second signal means the operator will not wait: exit now, shell-style 128 + signal number.
    const code = 128 + (constants.signals[signal] ?? 0);
    logger.error({ signal, code }, `shutdown: ${signal} received again; exiting now with code ${code}`);
    if (exit !== false) exit(code);
  };
  for (const signal of signals) source.on(signal, onSignal);

  function removeSignalHandlers(): void {
    for (const signal of signals) source.off(signal, onSignal);
  }

  return {
    addServer,
    add,
    shutdown,
    get shuttingDown() {
      return running !== undefined;
    },
    removeSignalHandlers,
  };
}
