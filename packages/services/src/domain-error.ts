// Typed domain errors: expected business failures with a stable `code`, handled exhaustively with
// matchError() so that adding a failure to a service breaks every caller that forgets it.

/**
 * An expected business failure (insufficient funds, order already shipped). `code` is a string
 * literal type, so a union of domain errors narrows in `switch (error.code)` and in matchError().
 *
 * @example
 * class InsufficientFunds extends DomainError<'INSUFFICIENT_FUNDS', { balance: number }> {}
 * throw new InsufficientFunds('INSUFFICIENT_FUNDS', 'The balance is too low.', { details: { balance: 3 } });
 */
export class DomainError<Code extends string = string, Details = unknown> extends Error {
  /** A stable code for this failure, upper snake case by convention: `INSUFFICIENT_FUNDS`. */
  readonly code: Code;
  /** Data a caller (or an HTTP answer) may show about the failure. */
  readonly details: Details;

  constructor(code: Code, message: string, options?: { details?: Details; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details as Details;
  }
}

// SEAMS D: a Symbol.for brand, so a DomainError from the ESM build is recognised by the CJS build.
const brand = Symbol.for('@plinth/services.DomainError');
Object.defineProperty(DomainError.prototype, brand, { value: true });

/** Whether `value` is a DomainError, from this build of the package or another one (ESM/CJS). */
export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** One handler per `code` of the union `E`; a missing code is a compile error. */
export type ErrorHandlers<E extends { code: string }, R> = {
  [C in E['code']]: (error: Extract<E, { code: C }>) => R;
};

/** Calls the handler of `error.code`: exhaustive, checked by the compiler. */
export function matchError<E extends { code: string }, R>(error: E, handlers: ErrorHandlers<E, R>): R {
  const handler = (handlers as unknown as Record<string, ((error: E) => R) | undefined>)[error.code];
  if (handler === undefined) {
    // Reachable only when types lie (an error from an untyped caller): say which code is missing.
    throw new TypeError(`matchError has no handler for code "${error.code}"; add it to the handlers.`);
  }
  return handler(error);
}

/** For the `default` branch of an exhaustive `switch`: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new TypeError(`Unhandled case: ${JSON.stringify(value)}`);
}
