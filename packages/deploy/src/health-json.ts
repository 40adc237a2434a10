// The health+json document (draft-inadarei-api-health-check-06) built from a probe report.
import type { HealthStatus } from './check.js';
import type { HealthReport, ServiceInfo } from './health.js';

/** The media type of a health document (draft-inadarei-api-health-check §3). */
export const healthMediaType = 'application/health+json';

/** One entry of `checks` in a health+json document. */
export interface HealthJsonCheck {
  componentType?: string;
  observedValue?: number | string | boolean;
  observedUnit?: string;
  status: HealthStatus;
  time: string;
  output?: string;
}

/** A health+json document. */
export interface HealthJson extends ServiceInfo {
  status: HealthStatus;
  notes?: string[];
  checks?: Record<string, HealthJsonCheck[]>;
}

/** Builds the health+json document; without `verbose` only the status is disclosed. */
export function toHealthJson(report: HealthReport, service: ServiceInfo, verbose: boolean): HealthJson {
  if (!verbose) return { status: report.status };
  const checks: Record<string, HealthJsonCheck[]> = {};
  for (const result of report.checks) {
    // §4: keys are "{componentName}:{measurementName}"; each value is an array of measurements.
    const entry: HealthJsonCheck = { status: result.status, time: result.time };
    if (result.componentType !== undefined) entry.componentType = result.componentType;
    if (result.observedValue !== undefined) entry.observedValue = result.observedValue;
    if (result.observedUnit !== undefined) entry.observedUnit = result.observedUnit;
    if (result.output !== undefined) entry.output = result.output;
    const measurement = result.observedUnit === 'ms' ? 'responseTime' : 'status';
    checks[`${result.name}:${measurement}`] = [entry];
  }
  const document: HealthJson = { status: report.status, ...service };
  if (report.notes.length > 0) document.notes = report.notes;
  document.checks = checks;
  return document;
}
