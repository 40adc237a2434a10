// Cron schedules: every scheduler (one per worker process, as many as you run) enqueues the next tick
// of each schedule as a delayed job whose id is the schedule name plus the tick time. Adds are
// idempotent by id in every driver, so each tick becomes exactly one job however many schedulers run.
import { assertTimeZone, type CronExpression, nextCronTime, parseCron } from './cron.js';
import { JobsError } from './errors.js';
import type { AnyJobDefinition, JobInput } from './job.js';
import type { Queue } from './queue.js';

/** One schedule. */
export interface Schedule<Definition extends AnyJobDefinition = AnyJobDefinition> {
  /** Unique per queue; part of each tick's job id (`cron:<name>:<tick ms>`). */
  readonly name: string;
  /** 5 fields (minute hour day month weekday) or 6 (seconds first). */
  readonly cron: string;
  /** IANA time zone the expression is read in (default UTC). */
  readonly timeZone?: string;
  readonly job: Definition | string;
  /** What enqueue takes for the job. */
  readonly payload: JobInput<Definition>;
}

/** A running scheduler. */
export interface Scheduler {
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  /** Called when enqueueing a tick failed (the scheduler retries on its next pass). */
  readonly onError?: (error: unknown) => void;
}

// Sleeps are capped so that a scheduler re-reads the driver's clock at least once a minute.
const maxSleepMs = 60_000;

/**
 * Starts enqueueing the ticks of `schedules` into `queue`.
 *
 * @example
 * const scheduler = createScheduler(queue, [{ name: 'digest', cron: '0 8 * * 1-5', timeZone: 'Europe/Paris', job: sendDigest, payload: {} }]);
 */
export function createScheduler(
  queue: Queue,
  schedules: readonly Schedule[],
  options: SchedulerOptions = {},
): Scheduler {
  const names = new Set<string>();
  const parsed = schedules.map((schedule) => {
    if (names.has(schedule.name))
      throw new JobsError(
        'ERR_JOBS_INVALID_OPTION',
        `Two schedules are named "${schedule.name}"; names must be unique.`,
      );
    names.add(schedule.name);
    if (schedule.timeZone !== undefined) assertTimeZone(schedule.timeZone);
    const name = typeof schedule.job === 'string' ? schedule.job : schedule.job.name;
    if (!queue.definitions.has(name))
      throw new JobsError(
        'ERR_JOBS_UNKNOWN_JOB',
        `Schedule "${schedule.name}" names job "${name}", which queue "${queue.name}" does not define.`,
      );
    return { schedule, expression: parseCron(schedule.cron) };
  });
  const controller = new AbortController();

  // The listener goes with its timer: a long-running scheduler sleeps 1,440 times a day. Closed while
  // the loop awaited the driver, the signal has already fired: no sleep at all then (else close() waited
  // for the timer, up to a minute, and a worker's SIGTERM ran into its shutdown deadline).
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (controller.signal.aborted) {
        resolve();
        return;
      }
      const wake = () => {
        clearTimeout(timer);
        controller.signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(Math.max(ms, 0), maxSleepMs));
      controller.signal.addEventListener('abort', wake);
    });

  const runOne = async (schedule: Schedule, expression: CronExpression) => {
    while (!controller.signal.aborted) {
      try {
        const now = await queue.driver.now();
        if (controller.signal.aborted) return;
        const tick = nextCronTime(expression, now, schedule.timeZone);
        await queue.enqueue(schedule.job, schedule.payload, {
          id: `cron:${schedule.name}:${tick}`,
          runAt: tick,
        });
        await sleep(tick - now);
      } catch (error) {
        options.onError?.(error);
        await sleep(1000);
      }
    }
  };

  const loops = parsed.map(({ schedule, expression }) => runOne(schedule, expression));
  const scheduler: Scheduler = {
    async close() {
      controller.abort();
      await Promise.all(loops);
    },
    [Symbol.asyncDispose]: () => scheduler.close(),
  };
  return scheduler;
}
