// A job definition: its name, the Standard Schema of its payload and the handler that runs it.
import type { Backoff } from './backoff.js';
import { assertBackoff } from './backoff.js';
import { assertInteger, JobsError } from './errors.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** What a handler receives besides the payload. */
export interface JobContext {
  readonly id: string;
  readonly name: string;
  readonly queue: string;
  /** 1 on the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborts on timeout, on shutdown after the grace period and when the lease was lost. */
  readonly signal: AbortSignal;
  /** Stores a progress value on the job (readable with `queue.get(id)`). */
  progress(value: unknown): Promise<void>;
}

/** Options of {@link defineJob}. */
export interface JobDefinitionOptions<Payload, Result, Input = Payload> {
  /** Unique within a queue. */
  readonly name: string;
  /** Validates (and may transform) the payload at enqueue time: enqueue takes its input type. */
  readonly schema?: StandardSchemaV1<Input, Payload>;
  readonly handler: (payload: Payload, context: JobContext) => Result | Promise<Result>;
  /** Attempts in all, retries included (default 3). */
  readonly attempts?: number;
  /** Delay between attempts (default exponential from 1 s with jitter). */
  readonly backoff?: Backoff;
  /** The handler's signal aborts after this many ms and the job fails (default none). */
  readonly timeoutMs?: number;
  /** Default priority; higher runs first (default 0). */
  readonly priority?: number;
}

/**
 * A job definition, typed by its payload (what the handler gets), result and input (what enqueue
 * takes: the schema's input type); pass it to `createQueue({ jobs })`.
 */
export interface JobDefinition<Payload = unknown, Result = unknown, Input = Payload> {
  readonly name: string;
  readonly schema: StandardSchemaV1<Input, Payload> | undefined;
  readonly handler: (payload: Payload, context: JobContext) => Result | Promise<Result>;
  readonly attempts: number;
  readonly backoff: Backoff;
  readonly timeoutMs: number | undefined;
  readonly priority: number;
}

/** A definition whatever its payload and result (a handler's parameter makes the type invariant). */
// biome-ignore lint/suspicious/noExplicitAny: definitions of every payload are held alike
export type AnyJobDefinition = JobDefinition<any, any, any>;

/** What enqueue takes for a definition: its schema's input type. */
export type JobInput<Definition> =
  Definition extends JobDefinition<infer _Payload, infer _Result, infer Input> ? Input : never;

/** Priorities are integers in this range (they are part of sort keys in every driver). */
export const maxPriority = 1_000_000;

/**
 * Defines a job; options are checked now, not at the first run.
 *
 * @example
 * const sendEmail = defineJob({
 *   name: 'send-email',
 *   schema: z.object({ to: z.email() }),
 *   handler: async ({ to }, { signal }) => mailer.send(to, { signal }),
 * });
 */
export function defineJob<Payload, Result, Input = Payload>(
  options: JobDefinitionOptions<Payload, Result, Input>,
): JobDefinition<Payload, Result, Input> {
  if (typeof options.name !== 'string' || options.name.length === 0)
    throw new JobsError('ERR_JOBS_INVALID_OPTION', 'A job needs a non-empty string name.');
  if (typeof options.handler !== 'function')
    throw new JobsError('ERR_JOBS_INVALID_OPTION', `Job "${options.name}" needs a handler function.`);
  const attempts = options.attempts ?? 3;
  assertInteger(`attempts of job "${options.name}"`, attempts, 1, 1_000_000);
  const backoff = options.backoff ?? { type: 'exponential', delayMs: 1000 };
  assertBackoff(backoff);
  if (options.timeoutMs !== undefined)
    assertInteger(`timeoutMs of job "${options.name}"`, options.timeoutMs, 1);
  const priority = options.priority ?? 0;
  assertInteger(`priority of job "${options.name}"`, priority, -maxPriority, maxPriority);
  return {
    name: options.name,
    schema: options.schema,
    handler: options.handler,
    attempts,
    backoff,
    timeoutMs: options.timeoutMs,
    priority,
  };
}
