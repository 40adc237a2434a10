// Graceful shutdown: on a signal, fail readiness and ask clients to stop reusing connections, wait for
// load balancers, drain the servers, close resources in reverse order, all within one timeout, exit.
import { type Closable, closeClosable } from './closable.js';
import { DeployError } from './errors.js';
import {
  resolveShutdownSettings,
  type ShutdownOptions,
  type ShutdownServer,
  type ShutdownSettings,
} from './shutdown-options.js';
import {
  type ClosableStep,
  closableStep,
  isUnfinished,
  runStep,
  type ServerStep,
  type Step,
  serverStep,
} from './shutdown-steps.js';
import { listenForSignals, signalExitCode } from './signals.js';

export type { ShutdownOptions, ShutdownServer, SignalSource } from './shutdown-options.js';

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

/** What one shutdown works through: the servers, then the resources. */
interface ShutdownPlan {
  readonly settings: ShutdownSettings;
  readonly servers: readonly ServerStep[];
  readonly closables: readonly ClosableStep[];
  readonly failed: ShutdownResult['failed'];
}

/** Phase 1, at once: readiness fails and the servers ask their clients to stop reusing connections. */
function beginShutdown({ settings, servers }: ShutdownPlan, reason: string): void {
  const { health, logger, readinessDelay, timeout } = settings;
  health?.markShuttingDown();
  for (const server of servers) server.begin();
  logger.info({ reason, readinessDelay, timeout }, 'shutdown: readiness fails from now on');
}

/** Phases 2–4: the readiness delay, the servers drained together, the resources closed last-first. */
async function drainAndClose(plan: ShutdownPlan): Promise<'done'> {
  const { settings, servers, closables, failed } = plan;
  const { logger, readinessDelay } = settings;
  if (readinessDelay > 0) await new Promise((resolve) => setTimeout(resolve, readinessDelay));
  logger.info({ servers: servers.length }, 'shutdown: draining servers');
  await Promise.all(servers.map(({ step, close }) => runStep(step, close, failed, logger)));
  for (const { step, closable } of [...closables].reverse()) {
    await runStep(step, () => closeClosable(closable), failed, logger);
  }
  return 'done';
}

/** Resolves 'timeout' after `timeout` ms unless cancelled. */
function deadline(timeout: number): { reached: Promise<'timeout'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, timeout, 'timeout');
  });
  return { reached, cancel: () => clearTimeout(timer) };
}

/** At the timeout: destroy the connections still open and name what did not finish. */
function reportTimeout({ settings, servers }: ShutdownPlan, unfinished: readonly Step[]): void {
  for (const server of servers) if (server.step.state === 'running') server.force();
  const names = unfinished.map((step) => (step.detail ? `${step.name} (${step.detail()})` : step.name));
  settings.logger.error(
    { unfinished: names, timeout: settings.timeout },
    `shutdown: timed out after ${settings.timeout} ms; not finished: ${names.join(', ') || 'readiness delay'}`,
  );
}

/** The whole shutdown, from the signal to the exit code. */
async function runShutdown(plan: ShutdownPlan, reason: string, exitCode: number): Promise<ShutdownResult> {
  const started = performance.now();
  beginShutdown(plan, reason);
  const timer = deadline(plan.settings.timeout);
  const outcome = await Promise.race([drainAndClose(plan), timer.reached]);
  timer.cancel();
  const steps = [...plan.servers, ...plan.closables].map((entry) => entry.step);
  const unfinished = steps.filter(isUnfinished);
  if (outcome === 'timeout') reportTimeout(plan, unfinished);
  const code = Math.max(exitCode, outcome === 'timeout' || plan.failed.length > 0 ? 1 : 0);
  const duration = Math.round(performance.now() - started);
  if (outcome === 'done' && plan.failed.length === 0) {
    plan.settings.logger.info({ duration, code }, 'shutdown: complete');
  }
  return { code, reason, duration, unfinished: unfinished.map((step) => step.name), failed: plan.failed };
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
  const settings = resolveShutdownSettings(options);
  const servers: ServerStep[] = [];
  const closables: ClosableStep[] = [];
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
    servers.push(serverStep(server, name ?? `server #${servers.length + 1}`));
  }
  function add(closable: Closable, name?: string): void {
    assertNotStarted('add a closable');
    closables.push(closableStep(closable, name ?? `closable #${closables.length + 1}`));
  }
  for (const server of options.servers ?? []) addServer(server);
  for (const closable of options.closables ?? []) add(closable);

  function shutdown(reason = 'shutdown()', { exitCode = 0 } = {}): Promise<ShutdownResult> {
    running ??= runShutdown({ settings, servers, closables, failed: [] }, reason, exitCode).then((result) => {
      removeSignalHandlers();
      settings.exit(result.code);
      return result;
    });
    return running;
  }

  const removeSignalHandlers = listenForSignals(settings.signalSource, settings.signals, (signal) => {
    if (running === undefined) {
      void shutdown(signal);
      return;
    }
    // A second signal means the operator will not wait: exit now, shell-style 128 + signal number.
    const code = signalExitCode(signal);
    settings.logger.error(
      { signal, code },
      `shutdown: ${signal} received again; exiting now with code ${code}`,
    );
    settings.exit(code);
  });

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
