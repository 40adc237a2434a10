// Per-response CSP nonces: 128 random bits, base64. Random bytes are drawn 4 KiB at a time because one
// randomBytes call per request costs more than the rest of the headers (bench "headers: node:http").
import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

const poolSize = 4096;
const pool = Buffer.alloc(poolSize);
let offset = poolSize;

/** A fresh nonce (22+ characters of base64). */
export function createNonce(): string {
  if (offset + 16 > poolSize) {
    randomFillSync(pool);
    offset = 0;
  }
  const nonce = pool.toString('base64', offset, offset + 16);
  offset += 16;
  return nonce;
}
