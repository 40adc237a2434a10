// The Check: the seam a user implements to tell the health endpoints whether one dependency works.

/** Which probe a check answers: Kubernetes' liveness, readiness and startup probes. */
export type CheckKind = 'liveness' | 'readiness' | 'startup';

/** The health+json status of one check or of the whole service. */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** What a check may return to add a measurement or to warn without failing. */
export interface CheckOutcome {
  /** `warn` keeps the service serving (200) but reports the degradation; defaults to `pass`. */
  status?: HealthStatus;
  /** Human-readable detail, shown only in verbose output. */
  output?: string;
  /** A measured value, health+json `observedValue` (defaults to the check's duration in ms). */
  observedValue?: number | string | boolean;
  /** The unit of `observedValue`, health+json `observedUnit`. */
  observedUnit?: string;
}

/**
 * One health check. `run` resolves (or returns) when the dependency works and throws when it
 * does not; it receives an AbortSignal that aborts when `timeout` elapses, and should pass it on
 * to the client it calls so abandoned work stops. Results are cached for `cacheTtl` and concurrent
 * probes share one run, so a probe storm never multiplies the load on the dependency.
 *
 * @example
 * const disk: Check = { name: 'disk', critical: false, run: async () => { await access('/data') } };
 */
export interface Check {
  /** A unique name, the health+json component name (`postgres`, `redis`, `event-loop`). */
  name: string;
  /** Throws (or rejects) when unhealthy; may return a {@link CheckOutcome} to warn or measure. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a check written as `async () => { await x }` returns void.
  run(signal: AbortSignal): Promise<CheckOutcome | void> | CheckOutcome | void;
  /** Milliseconds before the check counts as failed and its signal aborts; default from the registry. */
  timeout?: number;
  /** A failing critical check fails the probe (503); a non-critical one only warns (200). Default true. */
  critical?: boolean;
  /** The probes this check belongs to; default `['readiness']`. All checks appear in the summary. */
  kinds?: readonly CheckKind[];
  /** Milliseconds a result is reused; default from the registry. 0 runs on every probe (still single-flight). */
  cacheTtl?: number;
  /** health+json `componentType`: `datastore`, `system`, `component` or a URI. */
  componentType?: string;
}

/** The recorded result of one run of a check, as the health endpoints report it. */
export interface CheckResult {
  /** The check's name. */
  name: string;
  /** `pass`, `warn` or `fail`. */
  status: HealthStatus;
  /** Whether the check was critical. */
  critical: boolean;
  /** How long the run took, in milliseconds. */
  duration: number;
  /** When the run finished, ISO 8601. */
  time: string;
  /** The error message or the check's own output. */
  output?: string;
  /** The check's measured value; defaults to `duration`. */
  observedValue?: number | string | boolean;
  /** The unit of `observedValue`. */
  observedUnit?: string;
  /** The check's component type. */
  componentType?: string;
}

/** Options shared by the ready-made dependency checks: override any of the check's settings. */
export type DependencyCheckOptions = Partial<
  Pick<Check, 'name' | 'timeout' | 'critical' | 'kinds' | 'cacheTtl'>
>;
