// A recording wrapper around any QueueDriver of @plinth/jobs' shape (declared here, no import): it
// records every job added and drains a queue one job at a time, so a test runs jobs deterministically.
// The wrapped driver does the storing, so the double behaves exactly as the driver it wraps.
import { TestingError } from './errors.js';

/** A job as handed to `QueueDriver.add` (the fields @plinth/jobs' `NewJob` has). */
export interface NewJobLike {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  readonly priority: number;
  readonly maxAttempts: number;
  readonly runAt?: number | undefined;
  readonly group?: string | undefined;
  readonly key?:
    | { readonly mode: 'dedupe' | 'debounce' | 'throttle'; readonly value: string; readonly windowMs: number }
    | undefined;
}

/** A claimed job, as far as drain() reads it. */
export interface ClaimedJobLike {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly token: string;
}

/** The part of @plinth/jobs' `QueueDriver` the wrapper calls; every other method passes through. */
export interface QueueDriverLike {
  readonly name: string;
  add(
    queue: string,
    jobs: readonly NewJobLike[],
    options?: Readonly<Record<string, unknown>>,
  ): Promise<Array<{ readonly id: string; readonly added: boolean }>>;
  claim(
    queue: string,
    options: { readonly limit: number; readonly leaseMs: number },
  ): Promise<ClaimedJobLike[]>;
  complete(queue: string, id: string, token: string, result: unknown): Promise<boolean>;
  fail(
    queue: string,
    id: string,
    token: string,
    failure: { error: string; retryAt?: number | undefined },
  ): Promise<'retried' | 'dead' | 'lost'>;
  release(queue: string, id: string, token: string): Promise<boolean>;
  now(): Promise<number>;
  close(): Promise<void>;
}

/** One job passed to `add()`, with what the driver did with it. */
export interface RecordedAdd {
  readonly queue: string;
  readonly job: NewJobLike;
  /** False when the id or key refused it; `id` is then the job that stands for it. */
  readonly added: boolean;
  readonly id: string;
}

/** What drain() did with one claimed job. */
export interface DrainedJob {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  /** 1 for the first run. */
  readonly attempt: number;
  /** `lost`: the lease was gone when the handler finished (the job was recovered or removed meanwhile). */
  readonly outcome: 'completed' | 'retried' | 'dead' | 'lost';
  readonly result?: unknown;
  readonly error?: unknown;
}

/** Options of drain(). */
export interface DrainOptions {
  /** Retry a failed job at once while it has attempts left (default true); false sends it to the dead letters. */
  retry?: boolean;
  /** Stop with ERR_TESTING_DRAIN_LIMIT after this many runs: jobs that keep enqueuing jobs (default 1000). */
  maxRuns?: number;
  /** The lease each claim takes (default 60000 ms; the drain never renews it). */
  leaseMs?: number;
}

/** What the wrapper adds to the driver. */
export interface QueueRecording {
  /** Every job passed to `add()`, in order, refused ones included. */
  readonly adds: readonly RecordedAdd[];
  /** The jobs that were added, of one queue (and job name) when given. */
  enqueued(queue?: string, name?: string): NewJobLike[];
  /**
   * Claims the due jobs of `queue` one at a time, in the driver's order, and runs `handler` on each:
   * its value completes the job, a throw fails it. Jobs the handler enqueues run in the same drain.
   * Resolves when no due job is left; delayed jobs wait for the driver's clock.
   */
  drain(
    queue: string,
    handler: (job: ClaimedJobLike) => unknown,
    options?: DrainOptions,
  ): Promise<DrainedJob[]>;
  /** Forgets the recorded adds (the jobs stay in the driver). */
  clear(): void;
}

/** The wrapped driver with the recording. */
export type RecordingQueueDriver<Driver extends QueueDriverLike> = Driver & QueueRecording;

/**
 * Wraps a QueueDriver (e.g. @plinth/jobs' `memoryDriver()`) to record what is enqueued and to drain
 * a queue deterministically; it passes `@plinth/jobs/testing`'s contract suite.
 *
 * @example
 * const driver = recordingQueueDriver(memoryDriver());
 * const queue = createQueue({ driver, jobs: [sendEmail] });
 * await signUp(queue, 'ada@example.test');
 * expect(driver.enqueued('default', 'send-email')).toHaveLength(1);
 * const ran = await driver.drain('default', (job) => mailer.send(job.payload));
 * expect(ran.map((job) => job.outcome)).toEqual(['completed']);
 */
export function recordingQueueDriver<Driver extends QueueDriverLike>(
  driver: Driver,
): RecordingQueueDriver<Driver> {
  const adds: RecordedAdd[] = [];

  const recording: QueueRecording & Pick<QueueDriverLike, 'add'> = {
    adds,
    async add(queue, jobs, options) {
      const results = await driver.add(queue, jobs, options);
      jobs.forEach((job, index) => {
        const result = results[index];
        adds.push({ queue, job, added: result?.added ?? false, id: result?.id ?? job.id });
      });
      return results;
    },
    enqueued: (queue, name) =>
      adds
        .filter(
          (entry) =>
            entry.added &&
            (queue === undefined || entry.queue === queue) &&
            (name === undefined || entry.job.name === name),
        )
        .map((entry) => entry.job),
    async drain(queue, handler, options = {}) {
      const { retry = true, maxRuns = 1000, leaseMs = 60_000 } = options;
      const ran: DrainedJob[] = [];
      for (;;) {
        const [job] = await driver.claim(queue, { limit: 1, leaseMs });
        if (!job) return ran;
        if (ran.length >= maxRuns) {
          await driver.release(queue, job.id, job.token);
          throw new TestingError(
            'ERR_TESTING_DRAIN_LIMIT',
            `drain('${queue}') ran ${maxRuns} jobs and more are due (next: ${job.name} ${job.id}); a job that enqueues jobs forever? Raise maxRuns if the count is expected.`,
          );
        }
        ran.push(await run(queue, job, handler, retry));
      }
    },
    clear() {
      adds.length = 0;
    },
  };

  async function run(
    queue: string,
    job: ClaimedJobLike,
    handler: (job: ClaimedJobLike) => unknown,
    retry: boolean,
  ): Promise<DrainedJob> {
    const ran = { id: job.id, name: job.name, payload: job.payload, attempt: job.attempts };
    let result: unknown;
    try {
      result = await handler(job);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = retry ? await driver.now() : undefined;
      const outcome = await driver.fail(queue, job.id, job.token, { error: message, retryAt });
      return { ...ran, outcome, error };
    }
    const completed = await driver.complete(queue, job.id, job.token, result);
    return { ...ran, outcome: completed ? 'completed' : 'lost', result };
  }

  // A Proxy, so every method of the wrapped driver (subscribe, list, extras of your own) passes through
  // bound to it, class instances with private fields included.
  return new Proxy(driver, {
    get(target, key) {
      if (Object.hasOwn(recording, key)) return recording[key as keyof typeof recording];
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has: (target, key) => Object.hasOwn(recording, key) || key in target,
  }) as RecordingQueueDriver<Driver>;
}
