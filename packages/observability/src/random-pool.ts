// Random bytes for ids, read from a refilled pool: one randomFillSync per 4 KiB (~100 requests' request id,
// trace id and span id) instead of a native call per id. Benchmark "request logging" (bench/index.ts).
import { randomFillSync } from 'node:crypto';

/** Internal: the shared pool of random bytes; read it at the offset {@link randomOffset} returns. */
export const randomPool = Buffer.allocUnsafe(4096);
let next = randomPool.length;

/** Internal: where `bytes` fresh random bytes start in {@link randomPool}; valid until the next call. */
export function randomOffset(bytes: number): number {
  if (next + bytes > randomPool.length) {
    randomFillSync(randomPool);
    next = 0;
  }
  const offset = next;
  next += bytes;
  return offset;
}
