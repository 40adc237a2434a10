// The common shape of the ready-made checks: a datastore component with overridable settings.
import type { Check, DependencyCheckOptions } from '../check.js';

/** Builds a datastore check named `name` unless the options rename it. */
export function datastoreCheck(name: string, options: DependencyCheckOptions, run: Check['run']): Check {
  return { componentType: 'datastore', ...options, name: options.name ?? name, run };
}
