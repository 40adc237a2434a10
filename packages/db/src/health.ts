// The database's ping with a timeout, and the same as a health check in the shape
// @plinth/deploy's `health.add()` takes (`{ name, run(signal) }`), declared here with no import.
import type { Driver } from './driver.js';
import { DbError } from './errors.js';
import { translateError } from './sql-state.js';

/** Options of `db.health()`. */
export interface HealthOptions {
  /** The check's name in health reports. Default `postgres` (or `pglite`). */
  name?: string;
  /** Milliseconds before the ping counts as failed. Default 2000. */
  timeout?: number;
  /** Whether a failing database fails the readiness probe (503). Default true. */
  critical?: boolean;
}

/** A readiness check of the database, structurally a @plinth/deploy `Check`. */
export interface DatabaseCheck {
  readonly name: string;
  readonly componentType: 'datastore';
  readonly timeout: number;
  readonly critical: boolean;
  /** Pings the database; throws when it does not answer in time. Aborting `signal` cancels the ping. */
  run(signal: AbortSignal): Promise<void>;
}

/** Runs `select 1` on `driver`, failing with ERR_DB_HEALTH_TIMEOUT after `timeout` ms. */
export async function ping(
  driver: Driver,
  options: { timeout?: number; signal?: AbortSignal },
): Promise<void> {
  const timeout = options.timeout ?? 2000;
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new DbError(
          'ERR_DB_HEALTH_TIMEOUT',
          `The database at ${driver.target} did not answer "select 1" within ${timeout} ms; check that it is running and not overloaded.`,
          { status: 503 },
        ),
      ),
    timeout,
  );
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    await Promise.race([driver.ping(controller.signal), aborted]);
  } catch (error) {
    throw translateError(error, driver.target);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The database as a health check. */
export function healthCheck(driver: Driver, options: HealthOptions): DatabaseCheck {
  const timeout = options.timeout ?? 2000;
  return {
    name: options.name ?? driver.kind,
    componentType: 'datastore',
    timeout,
    critical: options.critical ?? true,
    run: (signal) => ping(driver, { timeout, signal }),
  };
}
