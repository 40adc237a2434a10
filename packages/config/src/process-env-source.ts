// The real environment as a configuration source; it has the highest precedence.

import type { ConfigSource, ConfigValues } from './source.js';

/**
 * A source reading the process environment (or the record given), the last and strongest source.
 *
 * @example
 * processEnvSource({ PORT: '8080' });
 */
export function processEnvSource(env: ConfigValues = process.env): ConfigSource {
  return { name: 'environment', load: () => env };
}
