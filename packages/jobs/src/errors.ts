// The errors @plinth/jobs throws: one base class whose `code` narrows in a `switch`.

/** Every error code this package can throw; each is listed in the README. */
export type JobsErrorCode =
  | 'ERR_JOBS_INVALID_OPTION'
  | 'ERR_JOBS_INVALID_PAYLOAD'
  | 'ERR_JOBS_UNKNOWN_JOB'
  | 'ERR_JOBS_DUPLICATE_JOB'
  | 'ERR_JOBS_TIMEOUT'
  | 'ERR_JOBS_STALLED'
  | 'ERR_JOBS_NOT_FOUND'
  | 'ERR_JOBS_CLOSED'
  | 'ERR_JOBS_DRIVER'
  | 'ERR_JOBS_INVALID_CRON';

/** The base class of every error thrown by @plinth/jobs; branch on `code`. */
export class JobsError extends Error {
  /** A stable, unique code: `ERR_JOBS_<WHAT>`. */
  readonly code: JobsErrorCode;

  constructor(code: JobsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobsError';
    this.code = code;
  }
}

/** One problem of a payload that failed its schema, as Standard Schema reports it. */
export interface PayloadIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** Thrown by `enqueue` when the payload fails the job's schema; nothing was enqueued. */
export class InvalidPayloadError extends JobsError {
  /** The schema's issues, unchanged. */
  readonly issues: readonly PayloadIssue[];

  constructor(job: string, issues: readonly PayloadIssue[]) {
    const first = issues[0];
    const where = first?.path?.length
      ? ` at ${first.path.map((part) => String(typeof part === 'object' ? part.key : part)).join('.')}`
      : '';
    super(
      'ERR_JOBS_INVALID_PAYLOAD',
      `The payload of job "${job}" fails its schema${where}: ${first?.message ?? 'invalid'}; fix the payload before enqueueing.`,
    );
    this.name = 'InvalidPayloadError';
    this.issues = issues;
  }
}

/** Throws ERR_JOBS_INVALID_OPTION unless `value` is an integer within [min, max]. */
export function assertInteger(
  option: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      `${option} must be an integer from ${min} to ${max}, got ${String(value)}.`,
    );
  }
}
