// The Headers of a Response made by the helpers (response.ts): get, has, set, append and delete work on the
// plain record of lower-case names that the node adapter hands to writeHead as it is, so a middleware that
// sets `X-Request-Id` builds no undici Headers and the writer converts nothing back. Anything else (iteration,
// a name or value Headers would normalise or refuse) moves the record into a real Headers once, and from then
// on every member works on that. Benchmark "cost per request: a header set by middleware" (bench/request-cost.ts).

import { HeadersView, reportAsHeaders } from './headers-view.js';

/** Internal: a response's headers as node's writeHead takes them; Set-Cookie is the only field kept as a list. */
export type HeaderRecord = Record<string, string | string[]>;

/** Internal: what the view reads and writes (FastState in response.ts). */
export interface HeaderState {
  headers: HeaderRecord | Headers;
  /** The real Response once one was built; its Headers are then the only ones. */
  real: Response | undefined;
}

// RFC 9110 §5.1 field-name token, as Headers validates it.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A value Headers stores unchanged and node writes as it is: no leading or trailing whitespace (Headers would
// strip it), no NUL, CR, LF or DEL, nothing above U+00FF. Anything else takes the real Headers and its errors.
const PLAIN_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;

// Registered symbol of util.inspect: no node:util import in the core, which also runs on Bun and Deno.
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/** Internal: a real Headers with the fields of `record` (each Set-Cookie its own field). */
export function toHeaders(record: HeaderRecord): Headers {
  const headers = new Headers();
  for (const name in record) {
    const value = record[name] as string | string[];
    if (typeof value === 'string') headers.append(name, value);
    else for (const item of value) headers.append(name, item);
  }
  return headers;
}

/**
 * Internal: `record` with the fields of `init` added under lower-case names, or undefined when a name or a
 * value is not plain (a real Headers must then normalise or refuse it).
 */
export function addFields(record: HeaderRecord, init: Record<string, string>): HeaderRecord | undefined {
  for (const name of Object.keys(init)) {
    const value = String(init[name]);
    if (!TOKEN.test(name) || !PLAIN_VALUE.test(value)) return undefined;
    record[name.toLowerCase()] = value;
  }
  return record;
}

/** Internal: the Headers of a helper-made Response (see the top of this file). */
export class ResponseHeaders extends HeadersView {
  readonly #state: HeaderState;

  constructor(state: HeaderState) {
    super();
    this.#state = state;
  }

  /** The record while the headers are still plain and the name is a token; else undefined. */
  #plain(name: unknown): HeaderRecord | undefined {
    const state = this.#state;
    if (state.real !== undefined || state.headers instanceof Headers) return undefined;
    return typeof name === 'string' && TOKEN.test(name) ? state.headers : undefined;
  }

  /** The real Headers: the realized Response's, or the record moved into one (once). */
  protected real(): Headers {
    const state = this.#state;
    if (state.real !== undefined) return state.real.headers;
    if (!(state.headers instanceof Headers)) state.headers = toHeaders(state.headers);
    return state.headers;
  }

  get(name: string): string | null {
    const record = this.#plain(name);
    if (record === undefined) return this.real().get(name);
    const value = record[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }

  has(name: string): boolean {
    const record = this.#plain(name);
    if (record === undefined) return this.real().has(name);
    return record[name.toLowerCase()] !== undefined;
  }

  set(name: string, value: string): void {
    const record = this.#plain(name);
    if (record === undefined || typeof value !== 'string' || !PLAIN_VALUE.test(value)) {
      this.real().set(name, value);
      return;
    }
    record[name.toLowerCase()] = value;
  }

  append(name: string, value: string): void {
    const record = this.#plain(name);
    if (record === undefined || typeof value !== 'string' || !PLAIN_VALUE.test(value)) {
      this.real().append(name, value);
      return;
    }
    const key = name.toLowerCase();
    const existing = record[key];
    if (existing === undefined) record[key] = value;
    // Fetch keeps each Set-Cookie apart (getSetCookie()); every other repeated field is one, joined by ", ".
    else if (key === 'set-cookie')
      record[key] = typeof existing === 'string' ? [existing, value] : [...existing, value];
    else record[key] = `${existing as string}, ${value}`;
  }

  delete(name: string): void {
    const record = this.#plain(name);
    if (record === undefined) this.real().delete(name);
    else delete record[name.toLowerCase()];
  }

  getSetCookie(): string[] {
    const record = this.#plain('set-cookie');
    if (record === undefined) return this.real().getSetCookie();
    const value = record['set-cookie'];
    return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  }

  // util.inspect (node, Bun, Deno) shows the fields, not the view's internals, and leaves the record plain.
  [inspectCustom](
    depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    const record = this.#plain('x');
    const fields = record === undefined ? Object.fromEntries(this.real()) : { ...record };
    return `Headers ${inspect(fields, { ...options, depth: depth < 0 ? null : depth - 1 })}`;
  }
}

reportAsHeaders(ResponseHeaders.prototype);
