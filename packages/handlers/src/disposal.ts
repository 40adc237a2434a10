// Releasing what a scope or a container made: reverse creation order, every disposer awaited even
// when one fails, failures reported together.
import { HandlersError } from './errors.js';
import type { Registration } from './registration.js';

const asyncDispose: symbol = Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');
const syncDispose: symbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/** Internal: whether a made value needs releasing (checked once per instance, at creation). */
export function needsDisposal(value: unknown, registration: Registration): boolean {
  if (registration.dispose === false) return false;
  if (registration.dispose !== undefined) return true;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const candidate = value as Record<PropertyKey, unknown>;
  return (
    typeof candidate[asyncDispose] === 'function' ||
    typeof candidate[syncDispose] === 'function' ||
    typeof candidate.close === 'function'
  );
}

async function release(value: unknown, registration: Registration): Promise<void> {
  if (typeof registration.dispose === 'function') {
    await registration.dispose(value);
    return;
  }
  const candidate = value as Record<PropertyKey, () => unknown>;
  if (typeof candidate[asyncDispose] === 'function') await candidate[asyncDispose]();
  else if (typeof candidate[syncDispose] === 'function') await candidate[syncDispose]();
  else if (typeof candidate.close === 'function') await candidate.close();
}

/**
 * Internal: releases `entries` (value, registration, value, registration, …) last first; throws one
 * ERR_HANDLERS_DISPOSE_FAILED naming every token whose release failed.
 */
export async function releaseAll(entries: unknown[], what: string): Promise<void> {
  const failures: unknown[] = [];
  const names: string[] = [];
  for (let index = entries.length - 2; index >= 0; index -= 2) {
    const registration = entries[index + 1] as Registration;
    try {
      await release(entries[index], registration);
    } catch (error) {
      failures.push(error);
      names.push(registration.token.name);
    }
  }
  if (failures.length > 0) {
    throw new HandlersError(
      'ERR_HANDLERS_DISPOSE_FAILED',
      `Disposing ${what} failed for ${names.map((name) => `"${name}"`).join(', ')}; the others were released. See cause.`,
      { cause: new AggregateError(failures, `${failures.length} disposer(s) failed`) },
    );
  }
}
