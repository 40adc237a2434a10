// A small Result type for expected failures: a function returns `err(new OutOfStock(...))` instead of
// throwing, and the caller's compiler sees every failure it must handle.

/** A success carrying `value`. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** An expected failure carrying `error`. */
export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

/** Either a success or an expected failure; narrow with `if (result.ok)`. */
export type Result<T, E> = Ok<T> | Err<E>;

/** A successful Result. */
export function ok<T>(value: T): Ok<T>;
export function ok(): Ok<void>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

/** A failed Result. */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** The value of a successful Result, or throws its error (for callers that let failures propagate). */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error;
}
