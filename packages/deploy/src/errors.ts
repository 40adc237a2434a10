// The errors @plinth/deploy throws: one base class whose `code` narrows in a `switch`.

/** Every error code this package can throw; each is listed in the README. */
export type DeployErrorCode =
  | 'ERR_DEPLOY_INVALID_OPTION'
  | 'ERR_DEPLOY_DUPLICATE_CHECK'
  | 'ERR_DEPLOY_CHECK_TIMEOUT'
  | 'ERR_DEPLOY_SHUTTING_DOWN'
  | 'ERR_DEPLOY_APP_NOT_FOUND'
  | 'ERR_DEPLOY_START_SCRIPT';

/** The base class of every error thrown by @plinth/deploy; branch on `code`. */
export class DeployError extends Error {
  /** A stable, unique code: `ERR_DEPLOY_<WHAT>`. */
  readonly code: DeployErrorCode;

  constructor(code: DeployErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
    this.code = code;
  }
}

/** The reason a check's AbortSignal carries when the check ran past its timeout. */
export class CheckTimeoutError extends DeployError {
  /** The timeout, in milliseconds, the check exceeded. */
  readonly timeout: number;

  constructor(name: string, timeout: number) {
    super(
      'ERR_DEPLOY_CHECK_TIMEOUT',
      `Check "${name}" did not finish within ${timeout} ms; raise its timeout or make it faster.`,
    );
    this.name = 'CheckTimeoutError';
    this.timeout = timeout;
  }
}

/** Throws an ERR_DEPLOY_INVALID_OPTION error unless `value` is a finite number ≥ 0. */
export function assertDuration(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      `${option} must be a finite number of milliseconds ≥ 0, got ${String(value)}.`,
    );
  }
}
