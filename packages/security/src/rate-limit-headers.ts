// RateLimit and RateLimit-Policy fields per draft-ietf-httpapi-ratelimit-headers-10 (Structured Field
// lists): `RateLimit-Policy: default;q=100;w=60` and `RateLimit: default;r=42;t=17`.
import { invalidOption } from './errors.js';
import type { ConsumeResult } from './store.js';

// RFC 8941 §3.3.4 sf-token: the policy name is written bare.
const token = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*$/;

/** Throws ERR_SECURITY_INVALID_OPTION unless `name` can be a policy name on the wire. */
export function assertPolicyName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !token.test(name)) {
    invalidOption(
      `Rate-limit policy name ${JSON.stringify(name)} must be a Structured Field token (a letter first, then letters, digits or -._:); e.g. "default" or "burst".`,
    );
  }
}

/** One RateLimit-Policy item: quota `q` per window `w` seconds. */
export function policyItem(name: string, quota: number, windowMs: number): string {
  return `${name};q=${quota};w=${Math.ceil(windowMs / 1000)}`;
}

/** One RateLimit item: remaining `r`, seconds until reset `t`. */
export function limitItem(name: string, result: ConsumeResult): string {
  return `${name};r=${result.remaining};t=${Math.ceil(result.resetMs / 1000)}`;
}

/** Retry-After in whole seconds, at least 1 (RFC 9110 §10.2.3 delay-seconds). */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
