// Core pinning shared by the benches: the server on core 0, the load generator on core 1 (where
// taskset exists), so they do not take turns on one core.
import { execFileSync } from 'node:child_process';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}

/** Whether processes are pinned to cores. */
export const pin = hasTaskset();

/** The command and arguments that run node with `args` on `core` (unpinned without taskset). */
export const pinned = (core: number, args: string[]): [string, string[]] =>
  pin ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args];
