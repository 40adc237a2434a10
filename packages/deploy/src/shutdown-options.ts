// The options of graceful shutdown, checked and completed with their defaults when it is created.
import { constants } from 'node:os';
import type { Closable } from './closable.js';
import { assertDuration, DeployError } from './errors.js';
import { createConsoleLogger, type Logger } from './logger.js';
import type { NodeServer } from './server-drain.js';

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

/** The options with their defaults applied, checked. */
export interface ShutdownSettings {
  readonly health: { markShuttingDown(): void } | undefined;
  readonly readinessDelay: number;
  readonly timeout: number;
  readonly signals: readonly NodeJS.Signals[];
  readonly signalSource: SignalSource;
  readonly exit: (code: number) => void;
  readonly logger: Logger;
}

function invalidOption(message: string): DeployError {
  return new DeployError('ERR_DEPLOY_INVALID_OPTION', `createShutdown: ${message}`);
}

/** Applies the defaults and throws ERR_DEPLOY_INVALID_OPTION for anything out of range. */
export function resolveShutdownSettings(options: ShutdownOptions): ShutdownSettings {
  const readinessDelay = options.readinessDelay ?? (process.env.NODE_ENV === 'production' ? 5000 : 0);
  const timeout = options.timeout ?? 25_000;
  assertDuration('createShutdown: readinessDelay', readinessDelay);
  assertDuration('createShutdown: timeout', timeout);
  if (readinessDelay >= timeout) {
    throw invalidOption(
      `readinessDelay (${readinessDelay} ms) must be shorter than timeout (${timeout} ms), or nothing is left to drain in.`,
    );
  }
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  for (const signal of signals) {
    if (!(signal in constants.signals))
      throw invalidOption(`"${signal}" is not a signal name (e.g. SIGTERM).`);
  }
  const exit = options.exit;
  return {
    health: options.health,
    readinessDelay,
    timeout,
    signals,
    signalSource: options.signalSource ?? process,
    exit: exit === false ? () => {} : (exit ?? ((code: number) => process.exit(code))),
    logger: options.logger ?? createConsoleLogger(),
  };
}
