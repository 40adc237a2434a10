// A queue: the typed front of a QueueDriver. It validates payloads, assigns ids and reads job state;
// workers (worker.ts) run what it holds.
import { randomUUID } from 'node:crypto';
import type {
  AddOptions,
  AddResult,
  JobCounts,
  JobKey,
  JobRecord,
  JobState,
  NewJob,
  PruneOptions,
  QueueDriver,
} from './driver.js';
import { assertInteger, InvalidPayloadError, JobsError } from './errors.js';
import { type AnyJobDefinition, type JobDefinition, type JobInput, maxPriority } from './job.js';

/** Options of one enqueue. */
export interface EnqueueOptions {
  /** A job id; a second enqueue with the same id adds nothing (deduplication). Default a UUID. */
  readonly id?: string;
  /** Run no sooner than this many ms from now. */
  readonly delayMs?: number;
  /** Run no sooner than this time. */
  readonly runAt?: Date | number;
  /** Higher runs first (default the definition's). */
  readonly priority?: number;
  /** Attempts in all (default the definition's). */
  readonly attempts?: number;
  /** The fairness key (a tenant): see the worker's `groupConcurrency`. */
  readonly group?: string;
  /** At most one waiting or active job per key: a second enqueue returns the first job's id. */
  readonly dedupe?: string;
  /** One waiting job per key, run `delayMs` after the last enqueue, with the last payload. */
  readonly debounce?: { readonly key: string; readonly delayMs: number };
  /** One job per key per `windowMs`; enqueues within the window are dropped. */
  readonly throttle?: { readonly key: string; readonly windowMs: number };
  /** Passed to the driver, e.g. PostgreSQL's `{ tx }` to enqueue inside your transaction. */
  readonly driver?: AddOptions;
}

/** What enqueue returns: the job that stands for it and whether this call added it. */
export type Enqueued = AddResult;

/** Options of {@link createQueue}. */
export interface QueueOptions {
  readonly driver: QueueDriver;
  /** The queue's name (default `default`). */
  readonly name?: string;
  /** The jobs this queue accepts. */
  readonly jobs: readonly AnyJobDefinition[];
  /**
   * What becomes of completed jobs (default `false`: kept, with their results, until removed).
   * `true`: deleted as they complete, in the completion's own statement or script. A number or
   * `{ age, count }`: the newest `count` / those completed less than `age` ms ago are kept, the rest
   * pruned by workers in batches (every heartbeat and on close).
   */
  readonly removeOnComplete?: RemoveOnComplete;
}

/** The retention of completed jobs (like BullMQ's `removeOnComplete`); see {@link QueueOptions}. */
export type RemoveOnComplete = boolean | number | { readonly age?: number; readonly count?: number };

/** A typed queue. */
export interface Queue {
  readonly name: string;
  readonly driver: QueueDriver;
  /** The definitions by name. */
  readonly definitions: ReadonlyMap<string, JobDefinition<unknown, unknown>>;
  /** The completed-job retention: `true` deletes on completion, `PruneOptions` keeps some, `false` keeps all. */
  readonly removeOnComplete: boolean | PruneOptions;
  /** Validates the payload against the job's schema and adds the job. */
  enqueue<Definition extends AnyJobDefinition>(
    job: Definition | string,
    payload: JobInput<Definition>,
    options?: EnqueueOptions,
  ): Promise<Enqueued>;
  /** Several jobs in one driver call (one round trip, all-or-nothing). */
  enqueueMany(
    items: ReadonlyArray<{
      job: AnyJobDefinition | string;
      payload: unknown;
      options?: EnqueueOptions;
    }>,
    driverOptions?: AddOptions,
  ): Promise<Enqueued[]>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Jobs in one state; `dead` lists the dead letters. */
  list(state: JobState | 'delayed', options?: { limit?: number; offset?: number }): Promise<JobRecord[]>;
  /** Retries a dead job from its first attempt. Throws ERR_JOBS_NOT_FOUND unless it is dead. */
  redrive(id: string): Promise<void>;
  remove(id: string): Promise<boolean>;
  counts(): Promise<JobCounts>;
}

function definitionOf(
  definitions: ReadonlyMap<string, JobDefinition<unknown, unknown>>,
  queue: string,
  job: AnyJobDefinition | string,
) {
  const name = typeof job === 'string' ? job : job.name;
  const definition = definitions.get(name);
  if (!definition) {
    throw new JobsError(
      'ERR_JOBS_UNKNOWN_JOB',
      `Queue "${queue}" has no job named "${name}"; add its definition to createQueue({ jobs }). Known: ${[...definitions.keys()].join(', ') || 'none'}.`,
    );
  }
  return definition;
}

async function validated(definition: JobDefinition<unknown, unknown>, payload: unknown): Promise<unknown> {
  if (!definition.schema) return payload;
  const outcome = await definition.schema['~standard'].validate(payload);
  if (outcome.issues) throw new InvalidPayloadError(definition.name, outcome.issues);
  return outcome.value;
}

function runAtOf(options: EnqueueOptions, now: number): number | undefined {
  if (options.runAt !== undefined) {
    const at = options.runAt instanceof Date ? options.runAt.getTime() : options.runAt;
    if (!Number.isFinite(at))
      throw new JobsError(
        'ERR_JOBS_INVALID_OPTION',
        `runAt must be a valid Date or epoch ms, got ${String(options.runAt)}.`,
      );
    return at;
  }
  if (options.delayMs !== undefined) {
    assertInteger('delayMs', options.delayMs, 0);
    return now + options.delayMs;
  }
  return undefined;
}

function keyOf(options: EnqueueOptions): JobKey | undefined {
  const given = [options.dedupe, options.debounce, options.throttle].filter((value) => value !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1)
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      'Pass at most one of dedupe, debounce and throttle per enqueue.',
    );
  if (options.dedupe !== undefined)
    return { mode: 'dedupe', value: keyText('dedupe', options.dedupe), windowMs: 0 };
  if (options.debounce !== undefined) {
    assertInteger('debounce.delayMs', options.debounce.delayMs, 0);
    return {
      mode: 'debounce',
      value: keyText('debounce.key', options.debounce.key),
      windowMs: options.debounce.delayMs,
    };
  }
  assertInteger('throttle.windowMs', options.throttle!.windowMs, 1);
  return {
    mode: 'throttle',
    value: keyText('throttle.key', options.throttle!.key),
    windowMs: options.throttle!.windowMs,
  };
}

function keyText(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512)
    throw new JobsError('ERR_JOBS_INVALID_OPTION', `${option} must be a string of 1 to 512 characters.`);
  return value;
}

async function newJob(
  queue: Queue,
  item: { job: AnyJobDefinition | string; payload: unknown; options?: EnqueueOptions },
  now: () => Promise<number>,
): Promise<NewJob> {
  const definition = definitionOf(queue.definitions, queue.name, item.job);
  const options = item.options ?? {};
  const payload = await validated(definition, item.payload);
  const priority = options.priority ?? definition.priority;
  assertInteger('priority', priority, -maxPriority, maxPriority);
  const maxAttempts = options.attempts ?? definition.attempts;
  assertInteger('attempts', maxAttempts, 1, 1_000_000);
  if (
    options.id !== undefined &&
    (typeof options.id !== 'string' || options.id.length === 0 || options.id.length > 512)
  )
    throw new JobsError('ERR_JOBS_INVALID_OPTION', 'A job id must be a string of 1 to 512 characters.');
  const needsClock = options.runAt === undefined && options.delayMs !== undefined;
  return {
    id: options.id ?? randomUUID(),
    name: definition.name,
    payload,
    priority,
    maxAttempts,
    runAt: runAtOf(options, needsClock ? await now() : 0),
    group: options.group,
    key: keyOf(options),
  };
}

function retentionOf(option: RemoveOnComplete | undefined): boolean | PruneOptions {
  if (option === undefined || typeof option === 'boolean') return option ?? false;
  if (typeof option === 'number') {
    assertInteger('removeOnComplete', option, 0);
    return { count: option };
  }
  if (
    typeof option !== 'object' ||
    option === null ||
    (option.age === undefined && option.count === undefined)
  )
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      'removeOnComplete must be true, false, a count or { age?: ms, count?: n } with at least one of them.',
    );
  if (option.age !== undefined) assertInteger('removeOnComplete.age', option.age, 0);
  if (option.count !== undefined) assertInteger('removeOnComplete.count', option.count, 0);
  return { age: option.age, count: option.count };
}

/**
 * Creates a queue over a driver.
 *
 * @example
 * const queue = createQueue({ driver: memoryDriver(), jobs: [sendEmail] });
 * await queue.enqueue(sendEmail, { to: 'ada@example.com' }, { delayMs: 60_000 });
 */
export function createQueue(options: QueueOptions): Queue {
  const name = options.name ?? 'default';
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(name))
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      `Queue name "${name}" must be 1-100 of A-Z a-z 0-9 _ . : -.`,
    );
  if (!options.driver)
    throw new JobsError('ERR_JOBS_INVALID_OPTION', 'createQueue needs a driver, e.g. memoryDriver().');
  const definitions = new Map<string, JobDefinition<unknown, unknown>>();
  for (const definition of options.jobs) {
    if (definitions.has(definition.name))
      throw new JobsError(
        'ERR_JOBS_DUPLICATE_JOB',
        `Two job definitions are named "${definition.name}"; job names must be unique per queue.`,
      );
    definitions.set(definition.name, definition as JobDefinition<unknown, unknown>);
  }
  const driver = options.driver;
  const now = () => driver.now();
  const queue: Queue = {
    name,
    driver,
    definitions,
    removeOnComplete: retentionOf(options.removeOnComplete),
    async enqueue(job, payload, enqueueOptions = {}) {
      const [enqueued] = await queue.enqueueMany(
        [{ job, payload, options: enqueueOptions }],
        enqueueOptions.driver,
      );
      return enqueued!;
    },
    async enqueueMany(items, driverOptions) {
      const jobs = await Promise.all(items.map((item) => newJob(queue, item, now)));
      return driver.add(name, jobs, driverOptions);
    },
    get: (id) => driver.get(name, id),
    list: (state, paging) => driver.list(name, state, paging),
    async redrive(id) {
      if (!(await driver.redrive(name, id)))
        throw new JobsError(
          'ERR_JOBS_NOT_FOUND',
          `Job "${id}" is not in the dead letters of queue "${name}"; list them with queue.list('dead').`,
        );
    },
    remove: (id) => driver.remove(name, id),
    counts: () => driver.counts(name),
  };
  return queue;
}
