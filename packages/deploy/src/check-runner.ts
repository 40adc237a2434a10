// Runs one check: bounded by its timeout, single-flight across concurrent probes, cached for a TTL.
import type { Check, CheckOutcome, CheckResult } from './check.js';
import { CheckTimeoutError } from './errors.js';

/** The settings a runner needs beyond the check itself. */
export interface CheckRunnerSettings {
  timeout: number;
  cacheTtl: number;
}

/** A check wrapped with its cache and its in-flight run. */
export interface CheckRunner {
  readonly check: Check;
  readonly critical: boolean;
  /** The cached result while fresh, else the current run's result, else a new run's. */
  result(): Promise<CheckResult>;
}

/** Wraps a check so that probes share its runs and reuse its results for `cacheTtl` ms. */
export function createCheckRunner(check: Check, settings: CheckRunnerSettings): CheckRunner {
  const timeout = check.timeout ?? settings.timeout;
  const cacheTtl = check.cacheTtl ?? settings.cacheTtl;
  const critical = check.critical ?? true;
  let cached: { result: CheckResult; expires: number } | undefined;
  let inFlight: Promise<CheckResult> | undefined;

  async function run(): Promise<CheckResult> {
    const controller = new AbortController();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason = new CheckTimeoutError(check.name, timeout);
        controller.abort(reason);
        reject(reason);
      }, timeout);
    });
    let outcome: CheckOutcome | undefined;
    let failure: unknown;
    try {
      // Promise.resolve().then() turns a synchronous throw into a rejection too.
      const value = await Promise.race([
        Promise.resolve().then(() => check.run(controller.signal)),
        timedOut,
      ]);
      outcome = value ?? undefined;
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(timer);
    }
    const duration = Math.round((performance.now() - started) * 100) / 100;
    const result: CheckResult = {
      name: check.name,
      status: failure === undefined ? (outcome?.status ?? 'pass') : 'fail',
      critical,
      duration,
      time: new Date().toISOString(),
      observedValue: outcome?.observedValue ?? duration,
      observedUnit: outcome?.observedValue === undefined ? 'ms' : outcome.observedUnit,
    };
    const output = failure === undefined ? outcome?.output : describe(failure);
    if (output !== undefined) result.output = output;
    if (check.componentType !== undefined) result.componentType = check.componentType;
    return result;
  }

  return {
    check,
    critical,
    result() {
      if (cached !== undefined && performance.now() < cached.expires) return Promise.resolve(cached.result);
      if (inFlight !== undefined) return inFlight;
      inFlight = run().then((result) => {
        // Failures are cached too: a database that is down must not be hammered by every probe.
        cached = { result, expires: performance.now() + cacheTtl };
        inFlight = undefined;
        return result;
      });
      return inFlight;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
