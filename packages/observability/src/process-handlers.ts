// Process-level safety net: log unhandled rejections and uncaught exceptions, then hand over to shutdown.
import { defaultLogger } from './context.js';
import { assertOption } from './errors.js';
import type { Logger } from './logger.js';

/** Options of {@link installProcessHandlers}. */
export interface ProcessHandlerOptions {
  /** Logger for the fatal line; default the default logger. */
  logger?: Logger;
  /**
   * Your graceful shutdown (stop accepting, finish in-flight requests, close pools). When it returns a
   * promise the process exits once it settles; otherwise it exits when the event loop empties. Without
   * it, the process exits right after logging, as Node would.
   */
  onFatal?: (error: unknown) => unknown;
  /** Hard limit for the shutdown, after which the process exits anyway. Default 10 000 ms. */
  timeoutMs?: number;
  /** Exit code. Default 1. */
  exitCode?: number;
}

/**
 * Installs `unhandledRejection` and `uncaughtException` handlers that log the error at `fatal` and call
 * `onFatal` once, instead of dying mid-request. Returns a function that removes them.
 * @example
 * installProcessHandlers({ logger, onFatal: () => shutdown() });
 */
export function installProcessHandlers(options: ProcessHandlerOptions = {}): () => void {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const exitCode = options.exitCode ?? 1;
  assertOption(
    Number.isFinite(timeoutMs) && timeoutMs > 0,
    `timeoutMs must be a positive number, got ${timeoutMs}.`,
  );
  assertOption(
    Number.isInteger(exitCode) && exitCode > 0,
    `exitCode must be a positive integer, got ${exitCode}.`,
  );
  let shuttingDown = false;

  const exit = () => process.exit(exitCode);

  const handle = (error: unknown, event: 'uncaughtException' | 'unhandledRejection') => {
    const log = options.logger ?? defaultLogger();
    const fields = { err: error, event, shuttingDown };
    const message = `${event}: ${shuttingDown ? 'already shutting down' : 'shutting down'}`;
    if (log.fatal === undefined) log.error(fields, message);
    else log.fatal(fields, message);
    if (shuttingDown) return;
    shuttingDown = true;
    process.exitCode = exitCode;
    if (options.onFatal === undefined) return exit();
    // Bounded: a shutdown that hangs still ends; unref'd so it never keeps a finished process alive.
    setTimeout(() => {
      log.error({ timeoutMs }, 'graceful shutdown timed out; exiting');
      exit();
    }, timeoutMs).unref();
    let result: unknown;
    try {
      result = options.onFatal(error);
    } catch (shutdownError) {
      log.error({ err: shutdownError }, 'onFatal threw; exiting');
      return exit();
    }
    if (result instanceof Promise) {
      result.then(exit, (shutdownError: unknown) => {
        log.error({ err: shutdownError }, 'onFatal rejected; exiting');
        exit();
      });
    }
  };

  const onException = (error: Error) => handle(error, 'uncaughtException');
  const onRejection = (reason: unknown) => handle(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
