// The QueueDriver seam: the storage a queue and its workers share. memory, Redis and PostgreSQL
// implement it (src/drivers/); `@plinth/jobs/testing` checks any implementation against one contract.

/** Where a job is in its life. `waiting` with a future `runAt` is reported as delayed. */
export type JobState = 'waiting' | 'active' | 'completed' | 'dead';

/** A job as the driver stores it. Times are milliseconds since the epoch on the driver's clock. */
export interface JobRecord {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly payload: unknown;
  readonly state: JobState;
  /** Higher runs first among jobs that are due. */
  readonly priority: number;
  /** Attempts started so far (a claim counts one; a hand-back on shutdown gives it back). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: number;
  readonly createdAt: number;
  /** The fairness key: at most `groupConcurrency` jobs of one group are active at once. */
  readonly group?: string | undefined;
  readonly startedAt?: number | undefined;
  readonly finishedAt?: number | undefined;
  readonly progress?: unknown;
  readonly result?: unknown;
  /** The last failure's message (a retried job keeps it until it completes). */
  readonly error?: string | undefined;
}

/**
 * A key that limits how many jobs of it exist (see the README's state machine):
 * - `dedupe`: while a job of the key is waiting, delayed or active, adding another adds nothing.
 * - `debounce`: while a job of the key waits (not yet claimed), adding another replaces its payload
 *   and moves its runAt to now + windowMs; otherwise a new job is added to run at now + windowMs.
 * - `throttle`: one job per windowMs: an add within windowMs of the last accepted one adds nothing.
 */
export interface JobKey {
  readonly mode: 'dedupe' | 'debounce' | 'throttle';
  readonly value: string;
  readonly windowMs: number;
}

/** What `add` did with one job: `id` is the job that now stands for it (an existing one when not added). */
export interface AddResult {
  readonly id: string;
  readonly added: boolean;
}

/** A job to add. `id` makes the add idempotent: a second add with the same id adds nothing. */
export interface NewJob {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  readonly priority: number;
  readonly maxAttempts: number;
  /** Absolute run time (ms); `undefined` means now on the driver's clock. */
  readonly runAt?: number | undefined;
  readonly group?: string | undefined;
  /** Deduplication, debounce or throttle by key. */
  readonly key?: JobKey | undefined;
}

/** A claimed job and the lease token that proves the claim. */
export interface ClaimedJob extends JobRecord {
  readonly token: string;
  readonly leaseUntil: number;
}

/** Options of {@link QueueDriver.claim}. */
export interface ClaimOptions {
  /** At most this many jobs. */
  readonly limit: number;
  /** Lease length: the job is redelivered by `recover` if not extended, completed or failed by then. */
  readonly leaseMs: number;
  /** When set, no group may have more than this many active jobs after the claim. */
  readonly groupConcurrency?: number | undefined;
  /**
   * When set, at most `limit` jobs of one group are claimed per window of `windowMs` (fixed windows
   * aligned to multiples of windowMs on the driver's clock; a retry's claim counts too).
   */
  readonly groupRate?: { readonly limit: number; readonly windowMs: number } | undefined;
}

/** A finished job to mark completed: its id, the token of its lease and the handler's result. */
export interface Completion {
  readonly id: string;
  readonly token: string;
  readonly result: unknown;
  /** Delete the job instead of keeping it completed (the queue's `removeOnComplete: true`). */
  readonly remove?: boolean | undefined;
}

/** What {@link QueueDriver.prune} keeps: the newest `count` and those finished less than `age` ms ago. */
export interface PruneOptions {
  readonly count?: number | undefined;
  readonly age?: number | undefined;
}

/** What {@link QueueDriver.completeAndClaim} did: per completion whether it held, then the claimed jobs. */
export interface CompleteAndClaimResult {
  readonly completed: boolean[];
  readonly jobs: ClaimedJob[];
}

/** What `fail` did with the job. */
export type FailOutcome = 'retried' | 'dead' | 'lost';

/** Job numbers of one queue. `latency` is how long the oldest due waiting job has waited (ms). */
export interface JobCounts {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly completed: number;
  readonly dead: number;
  readonly latency: number;
}

/** Options a driver accepts per add, e.g. the PostgreSQL driver's `{ tx }` (the caller's transaction). */
export type AddOptions = Readonly<Record<string, unknown>>;

/**
 * The storage every queue and worker goes through. Every method is atomic on its own: two workers
 * calling `claim` at once never get the same job; `complete`/`fail`/`extend`/`release`/`progress`
 * act only while the caller's `token` still holds the lease and return false (or `'lost'`) when it
 * does not (the lease expired and the job went back, or another claim took it). A rejected promise
 * means the backend failed; the driver then made no change it has not reported.
 */
export interface QueueDriver {
  /** A short name for messages and the contract suite (`memory`, `redis`, `postgres`). */
  readonly name: string;
  /**
   * Adds jobs to `queue`, in order. A job whose id the queue already holds (in any state) is not
   * added again, nor one its key refuses ({@link JobKey}); the result says, per job, whether it was
   * added and which job stands for it. All-or-nothing per call.
   */
  add(queue: string, jobs: readonly NewJob[], options?: AddOptions): Promise<AddResult[]>;
  /**
   * Moves up to `limit` due waiting jobs to active and returns them with a fresh lease token and
   * `attempts` increased by one. Order: higher priority first, then earlier `runAt`, then insertion.
   */
  claim(queue: string, options: ClaimOptions): Promise<ClaimedJob[]>;
  /** Extends the leases still held by these tokens to now + `leaseMs`; returns the ids still held. */
  extend(
    queue: string,
    leases: ReadonlyArray<{ id: string; token: string }>,
    leaseMs: number,
  ): Promise<string[]>;
  /**
   * Optional: completes these jobs (each as `complete` would, by its token), then claims up to
   * `claim.limit` jobs (as `claim` would; a limit of 0 claims none), in one round trip. The claim
   * sees the completions (a group slot they free can be taken). Workers call it when present: one
   * call per batch of finished jobs instead of a complete and a claim.
   */
  completeAndClaim?(
    queue: string,
    completions: readonly Completion[],
    claim: ClaimOptions,
  ): Promise<CompleteAndClaimResult>;
  /** Marks an active job completed with its result; with `{ remove: true }` deletes it instead. */
  complete(
    queue: string,
    id: string,
    token: string,
    result: unknown,
    options?: { readonly remove?: boolean | undefined },
  ): Promise<boolean>;
  /**
   * Optional: deletes the finished jobs of `state` that `keep` does not keep (a job is kept when it is
   * among the newest `count` by finish time and, with `age`, finished less than `age` ms ago).
   * Returns how many it deleted. Workers call it for the queue's `removeOnComplete: number | { age, count }`.
   */
  prune?(queue: string, state: 'completed' | 'dead', keep: PruneOptions): Promise<number>;
  /**
   * Records a failure: with `retryAt` and attempts left the job waits again until then (`'retried'`),
   * otherwise it moves to the dead letters (`'dead'`). `'lost'`: the token no longer held the job.
   */
  fail(
    queue: string,
    id: string,
    token: string,
    failure: { error: string; retryAt?: number | undefined },
  ): Promise<FailOutcome>;
  /** Hands an active job back (graceful shutdown): waiting again, due now, the attempt not counted. */
  release(queue: string, id: string, token: string): Promise<boolean>;
  /** Stores a progress value on an active job. */
  progress(queue: string, id: string, token: string, value: unknown): Promise<boolean>;
  /**
   * Stalled-job recovery: every active job whose lease has expired waits again (due now), or goes to
   * the dead letters when it has no attempts left. Returns the ids of the stalled jobs.
   */
  recover(queue: string): Promise<string[]>;
  /** One job, or undefined. */
  get(queue: string, id: string): Promise<JobRecord | undefined>;
  /** Jobs in one state, oldest first (`delayed` lists waiting jobs not yet due). */
  list(
    queue: string,
    state: JobState | 'delayed',
    options?: { limit?: number; offset?: number },
  ): Promise<JobRecord[]>;
  /** Redrive: a dead job waits again, due now, with its attempts reset to 0. False unless it was dead. */
  redrive(queue: string, id: string): Promise<boolean>;
  /** Removes a job that is not active. False when it is absent or active. */
  remove(queue: string, id: string): Promise<boolean>;
  /** The numbers of {@link JobCounts}. */
  counts(queue: string): Promise<JobCounts>;
  /** The driver's clock in ms (the server's clock for Redis and PostgreSQL), for delays and cron. */
  now(): Promise<number>;
  /**
   * Optional: calls `onJob` soon after a job of `queue` may have become due (a wake-up, not a
   * delivery: workers still claim). Returns the unsubscribe. Without it workers poll.
   */
  subscribe?(queue: string, onJob: () => void): Promise<() => Promise<void>>;
  /** Releases what the driver opened itself (never the client you passed in). Idempotent. */
  close(): Promise<void>;
}
