// Runs a load that must fail and returns its ConfigError, so tests can assert on code and message.

import { ConfigError } from '../src/errors.js';

/** The ConfigError `run` throws; any other outcome fails the test. */
export function configFailure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** The ConfigError `run` rejects with; any other outcome fails the test. */
export async function asyncConfigFailure(run: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
