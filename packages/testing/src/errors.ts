// The errors @plinth/testing throws: one base class whose `code` narrows in a `switch`.

/** Every error code this package can throw; each is listed in the README. */
export type TestingErrorCode =
  | 'ERR_TESTING_INVALID_OPTION'
  | 'ERR_TESTING_INVALID_TARGET'
  | 'ERR_TESTING_INVALID_REQUEST'
  | 'ERR_TESTING_NOT_JSON'
  | 'ERR_TESTING_BODY_USED'
  | 'ERR_TESTING_NO_RESPONSE'
  | 'ERR_TESTING_EVENTUALLY_TIMEOUT'
  | 'ERR_TESTING_UNKNOWN_TRAIT'
  | 'ERR_TESTING_NO_CREATE'
  | 'ERR_TESTING_UNSUPPORTED_DATABASE'
  | 'ERR_TESTING_HTTP_UNMATCHED'
  | 'ERR_TESTING_HTTP_UNUSED'
  | 'ERR_TESTING_DRAIN_LIMIT';

/** The base class of every error thrown by @plinth/testing; branch on `code`. */
export class TestingError extends Error {
  /** A stable, unique code: `ERR_TESTING_<WHAT>`. */
  readonly code: TestingErrorCode;

  constructor(code: TestingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestingError';
    this.code = code;
  }
}
