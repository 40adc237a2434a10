// The errors this package itself throws: one base class with a `code` union, so `switch (err.code)` narrows.

/** Every code an {@link ObservabilityError} can carry. */
export type ObservabilityErrorCode =
  | 'ERR_OBSERVABILITY_INVALID_OPTIONS'
  | 'ERR_OBSERVABILITY_INVALID_STATUS'
  | 'ERR_OBSERVABILITY_PRETTY_UNAVAILABLE';

/** Thrown when this package is misused; the message says what to change in your code. */
export class ObservabilityError extends Error {
  /** A stable machine code, one of {@link ObservabilityErrorCode}. */
  readonly code: ObservabilityErrorCode;

  constructor(code: ObservabilityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObservabilityError';
    this.code = code;
  }
}

/** Every {@link ObservabilityErrorCode}, for documentation and exhaustiveness tests. */
export const observabilityErrorCodes: readonly ObservabilityErrorCode[] = [
  'ERR_OBSERVABILITY_INVALID_OPTIONS',
  'ERR_OBSERVABILITY_INVALID_STATUS',
  'ERR_OBSERVABILITY_PRETTY_UNAVAILABLE',
];

/** Throws `ERR_OBSERVABILITY_INVALID_OPTIONS` unless `condition` holds (fail at start, not at the first request). */
export function assertOption(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ObservabilityError('ERR_OBSERVABILITY_INVALID_OPTIONS', message);
}
