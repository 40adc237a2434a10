// W3C Trace Context (https://www.w3.org/TR/trace-context/): parse, validate and format traceparent/tracestate.
import { randomOffset, randomPool } from './random-pool.js';

/** A parsed, valid `traceparent` header. */
export interface TraceParent {
  /** Two lowercase hex digits; never `ff`. */
  version: string;
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** The caller's span id: 16 lowercase hex digits, not all zero. */
  parentId: string;
  /** The trace-flags byte. */
  traceFlags: number;
  /** Whether the caller sampled this trace (flag 0x01). */
  sampled: boolean;
}

// §3.2.2: version "-" trace-id "-" parent-id "-" trace-flags, all lowercase hex (HEXDIGLC).
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const zeroTraceId = '0'.repeat(32);
const zeroSpanId = '0'.repeat(16);

/** Parses a `traceparent` header; `undefined` when absent or invalid (the spec then says: start a new trace). */
export function parseTraceparent(header: string | null | undefined): TraceParent | undefined {
  if (header === null || header === undefined) return undefined;
  const match = traceparentPattern.exec(trimOws(header));
  if (match === null) return undefined;
  const [, version = '', traceId = '', parentId = '', flags = '', rest] = match;
  // §3.2.2.1: version ff is invalid; version 00 has exactly four fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  // §3.2.2.3–4: all-zero trace-id and parent-id are invalid.
  if (traceId === zeroTraceId || parentId === zeroSpanId) return undefined;
  const traceFlags = Number.parseInt(flags, 16);
  return { version, traceId, parentId, traceFlags, sampled: (traceFlags & 1) === 1 };
}

/** Formats a version-00 `traceparent`; only the sampled flag is emitted, as version 00 defines no other. */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

// §3.3.1.3: simple keys and multi-tenant `tenant@system` keys, and values of printable ASCII except , and =.
const simpleKey = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const tenantKey = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
const memberValue = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_MEMBERS = 32;

/**
 * Validates a `tracestate` header and returns it normalized (no empty members, no OWS), or `undefined`
 * when it is empty or invalid: the spec says to discard the whole header then, never a part of it.
 */
export function parseTracestate(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const raw of header.split(',')) {
    const member = trimOws(raw);
    if (member === '') continue; // §3.3.1.1: empty list members are allowed and ignored
    const equals = member.indexOf('=');
    if (equals <= 0) return undefined;
    const key = member.slice(0, equals);
    const value = member.slice(equals + 1);
    if (!(simpleKey.test(key) || tenantKey.test(key)) || !memberValue.test(value)) return undefined;
    if (keys.has(key)) return undefined; // §3.3.1.1: a key appears at most once
    keys.add(key);
    members.push(member);
  }
  if (members.length === 0 || members.length > MAX_MEMBERS) return undefined;
  return members.join(',');
}

function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

function randomHex(bytes: number, zero: string): string {
  for (;;) {
    const offset = randomOffset(bytes);
    const hex = randomPool.toString('hex', offset, offset + bytes);
    if (hex !== zero) return hex;
  }
}

/** A new trace id and span id from one read of the pool (bench "request logging": one native call, not two). */
export function randomTraceAndSpanIds(): [traceId: string, spanId: string] {
  const hex = randomHex(24, '');
  const traceId = hex.slice(0, 32);
  const spanId = hex.slice(32);
  return traceId === zeroTraceId || spanId === zeroSpanId
    ? [randomTraceId(), randomSpanId()]
    : [traceId, spanId];
}

/** A new random trace id (32 lowercase hex digits, never all zero). */
export function randomTraceId(): string {
  return randomHex(16, zeroTraceId);
}

/** A new random span id (16 lowercase hex digits, never all zero). */
export function randomSpanId(): string {
  return randomHex(8, zeroSpanId);
}
