// A worker: claims jobs of one queue up to its concurrency, runs their handlers with a timeout, keeps
// their leases alive by heartbeat, recovers stalled jobs and shuts down gracefully.
import { backoffDelay } from './backoff.js';
import type { ClaimedJob, QueueDriver } from './driver.js';
import { assertInteger, JobsError } from './errors.js';
import { Emitter, type WorkerEvents } from './events.js';
import type { JobContext, JobDefinition } from './job.js';
import type { Queue } from './queue.js';

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  /** Jobs run at once by this worker (default 10). */
  readonly concurrency?: number;
  /** Lease length in ms: a job whose worker stops heartbeating is redelivered after it (default 15,000). */
  readonly leaseMs?: number;
  /** How often leases are renewed (default leaseMs / 3). */
  readonly heartbeatMs?: number;
  /** Idle poll interval in ms, for delayed jobs and drivers without wake-ups (default 1,000). */
  readonly pollMs?: number;
  /**
   * Jobs claimed ahead of free slots and held here, leased, until a slot frees (default 0). Fewer,
   * larger claims: worth it on PostgreSQL under load; held jobs are handed back on close.
   */
  readonly prefetch?: number;
  /** At most this many active jobs per group key across all workers of the queue. */
  readonly groupConcurrency?: number;
  /** At most `limit` jobs per group key started per `windowMs` (fixed windows) across all workers. */
  readonly groupRate?: { readonly limit: number; readonly windowMs: number };
  /** `close()` waits this long for in-flight jobs before handing them back (default 10,000). */
  readonly shutdownTimeoutMs?: number;
  /** Start claiming at once (default true). */
  readonly autostart?: boolean;
}

/** A running worker. */
export interface Worker {
  /** Subscribes to an event; returns the unsubscribe. */
  on<E extends keyof WorkerEvents>(event: E, listener: (value: WorkerEvents[E]) => void): () => void;
  /** Starts claiming (only needed with `autostart: false`). */
  start(): void;
  /** Jobs running now. */
  readonly running: number;
  /**
   * Graceful shutdown: stops claiming, waits for in-flight jobs up to `timeoutMs`, then aborts the
   * rest and hands them back to the queue (their attempt is not counted).
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface InFlight {
  job: ClaimedJob;
  /** Made when the handler first reads its signal: most handlers never do (bench "process 20000 no-op jobs"). */
  controller: AbortController | undefined;
  aborted: boolean;
  /** Why it was aborted: timeout, lost lease or shutdown. */
  reason: unknown;
  /** Ends the wait for the handler when the job is aborted. */
  interrupt: ((reason: unknown) => void) | undefined;
  done: Promise<void>;
  settled: boolean;
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/** Aborts a running job: its signal (if the handler took it) and the worker's wait for the handler. */
function abort(entry: InFlight, reason: unknown): void {
  if (entry.aborted) return;
  entry.aborted = true;
  entry.reason = reason;
  entry.controller?.abort(reason);
  entry.interrupt?.(reason);
}

function signalOf(entry: InFlight): AbortSignal {
  if (!entry.controller) {
    entry.controller = new AbortController();
    if (entry.aborted) entry.controller.abort(entry.reason);
  }
  return entry.controller.signal;
}

/**
 * A running job's context. Its getters live on the prototype, so a job costs one object here instead
 * of an object literal with its own getter and closures (bench/index.ts, "process 20000 no-op jobs").
 * `progress` is a getter returning a bound function: handlers may destructure it.
 */
class RunningContext {
  readonly id: string;
  readonly name: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly #entry: InFlight;
  readonly #report: (job: ClaimedJob, value: unknown) => Promise<boolean>;

  constructor(
    readonly queue: string,
    entry: InFlight,
    report: (job: ClaimedJob, value: unknown) => Promise<boolean>,
  ) {
    const { job } = entry;
    this.id = job.id;
    this.name = job.name;
    this.attempt = job.attempts;
    this.maxAttempts = job.maxAttempts;
    this.#entry = entry;
    this.#report = report;
  }

  get signal(): AbortSignal {
    return signalOf(this.#entry);
  }

  get progress(): (value: unknown) => Promise<void> {
    const job = this.#entry.job;
    const report = this.#report;
    return async (value) => {
      await report(job, value);
    };
  }
}

interface PendingCompletion {
  id: string;
  token: string;
  result: unknown;
  remove: boolean;
  resolve: (held: boolean) => void;
  reject: (error: unknown) => void;
}

interface Settings {
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  pollMs: number;
  prefetch: number;
  groupConcurrency: number | undefined;
  groupRate: { limit: number; windowMs: number } | undefined;
  shutdownTimeoutMs: number;
}

function settingsOf(options: WorkerOptions): Settings {
  const concurrency = options.concurrency ?? 10;
  assertInteger('concurrency', concurrency, 1, 10_000);
  const leaseMs = options.leaseMs ?? 15_000;
  assertInteger('leaseMs', leaseMs, 100);
  const heartbeatMs = options.heartbeatMs ?? Math.floor(leaseMs / 3);
  assertInteger('heartbeatMs', heartbeatMs, 10, leaseMs - 1);
  const pollMs = options.pollMs ?? 1000;
  assertInteger('pollMs', pollMs, 1);
  if (options.groupConcurrency !== undefined) assertInteger('groupConcurrency', options.groupConcurrency, 1);
  if (options.groupRate !== undefined) {
    assertInteger('groupRate.limit', options.groupRate.limit, 1);
    assertInteger('groupRate.windowMs', options.groupRate.windowMs, 1);
  }
  const prefetch = options.prefetch ?? 0;
  assertInteger('prefetch', prefetch, 0, 10_000);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  assertInteger('shutdownTimeoutMs', shutdownTimeoutMs, 0);
  return {
    concurrency,
    leaseMs,
    heartbeatMs,
    pollMs,
    prefetch,
    groupConcurrency: options.groupConcurrency,
    groupRate: options.groupRate,
    shutdownTimeoutMs,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Starts a worker on a queue.
 *
 * @example
 * const worker = createWorker(queue, { concurrency: 20 });
 * worker.on('failed', ({ job, error }) => log.error({ id: job.id, error }));
 * process.on('SIGTERM', () => worker.close({ timeoutMs: 10_000 }));
 */
export function createWorker(queue: Queue, options: WorkerOptions = {}): Worker {
  const settings = settingsOf(options);
  const driver: QueueDriver = queue.driver;
  const events = new Emitter<WorkerEvents>();
  const inFlight = new Map<string, InFlight>();
  /** Claimed ahead (prefetch), leased, not started yet. */
  const held: ClaimedJob[] = [];
  let state: 'idle' | 'running' | 'closing' | 'closed' = 'idle';
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  const timers: ReturnType<typeof setInterval>[] = [];

  // A wake-up that arrives while the loop is claiming (not sleeping) is remembered, not lost: the
  // next sleep returns at once and the loop claims again.
  let nudged = false;
  const nudge = () => {
    const resolve = wake;
    wake = undefined;
    if (resolve) resolve();
    else nudged = true;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (nudged) {
        nudged = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => nudge(), ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  // The one place a job leaves this worker: frees its slot and wakes the loop to claim another.
  const settle = (entry: InFlight) => {
    if (entry.settled) return false;
    entry.settled = true;
    inFlight.delete(entry.job.id);
    nudge();
    return true;
  };

  const finishFailed = async (entry: InFlight, definition: JobDefinition | undefined, error: unknown) => {
    const { job } = entry;
    const retryable = definition !== undefined && job.attempts < job.maxAttempts;
    const retryAt = retryable
      ? (await driver.now()) + backoffDelay(definition.backoff, job.attempts, error)
      : undefined;
    const outcome = await driver.fail(queue.name, job.id, job.token, { error: messageOf(error), retryAt });
    if (outcome === 'retried') events.emit('retried', { job, error, retryAt: retryAt! });
    else if (outcome === 'dead') events.emit('failed', { job, error });
  };

  const report = (job: ClaimedJob, value: unknown) => driver.progress(queue.name, job.id, job.token, value);
  const contextOf = (entry: InFlight): JobContext => new RunningContext(queue.name, entry, report);

  // Runs the handler; a timeout aborts its signal and fails the job at once, whether or not the
  // handler stops: its slot is free again and the job is never left active.
  const execute = async (entry: InFlight) => {
    const { job } = entry;
    const definition = queue.definitions.get(job.name);
    if (!definition) {
      const error = new JobsError(
        'ERR_JOBS_UNKNOWN_JOB',
        `No worker definition for job "${job.name}"; add it to createQueue({ jobs }).`,
      );
      await finishFailed(entry, undefined, error);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (definition.timeoutMs !== undefined) {
      const timeoutMs = definition.timeoutMs;
      timer = setTimeout(
        () =>
          abort(
            entry,
            new JobsError(
              'ERR_JOBS_TIMEOUT',
              `Job "${job.name}" (${job.id}) ran past its timeout of ${timeoutMs} ms.`,
            ),
          ),
        timeoutMs,
      );
    }
    try {
      // Whichever comes first: the handler's outcome, or an abort (which does not wait for the handler).
      // The handler runs in a microtask, as from a then(); a synchronous result or throw settles the
      // outcome without the promises a then() chain would allocate per job.
      const outcome = await new Promise<Outcome>((resolve) => {
        entry.interrupt = (error) => resolve({ ok: false, error });
        if (entry.aborted) resolve({ ok: false, error: entry.reason });
        // (Not queueMicrotask: Node wraps each callback in an AsyncResource.)
        resolved.then(() => {
          let value: unknown;
          try {
            value = definition.handler(job.payload, contextOf(entry));
          } catch (error) {
            resolve({ ok: false, error });
            return;
          }
          if (isThenable(value))
            Promise.resolve(value).then(
              (result) => resolve({ ok: true, result }),
              (error: unknown) => resolve({ ok: false, error }),
            );
          else resolve({ ok: true, result: value });
        });
      });
      entry.interrupt = undefined;
      if (entry.aborted && !isTimeout(entry.reason)) return; // shutdown or lost lease
      // The handler is done: its slot takes the next job while the outcome is recorded. The job stays
      // active under its lease until then, so a crash now still redelivers it (bench/index.ts,
      // "process 20000 no-op jobs": holding the slot for the completion's round trip halved throughput).
      clearTimeout(timer);
      settle(entry);
      if (outcome.ok) {
        if (await complete(job, outcome.result ?? null))
          events.emit('completed', { job, result: outcome.result });
      } else await finishFailed(entry, definition, outcome.error);
    } finally {
      clearTimeout(timer);
    }
  };

  // With a driver that has completeAndClaim, completions wait for the loop's next claim and go with
  // it: one round trip per batch instead of two (bench/index.ts, "process 20000 no-op jobs"). They wait
  // at most for the claim in flight to come back (see launchClaim); close() sends what is left.
  const completions: PendingCompletion[] = [];
  // removeOnComplete: true goes with each completion; a count or age is applied by prune, in batches.
  const retention = queue.removeOnComplete ?? false;
  let unpruned = false;
  const prune = async () => {
    if (typeof retention !== 'object' || !driver.prune || !unpruned) return;
    unpruned = false;
    await driver.prune(queue.name, 'completed', retention);
  };
  const complete = (job: ClaimedJob, result: unknown): Promise<boolean> => {
    if (retention !== true) unpruned = true;
    if (!driver.completeAndClaim || state !== 'running')
      return driver.complete(queue.name, job.id, job.token, result, { remove: retention === true });
    return new Promise((resolve, reject) => {
      completions.push({ id: job.id, token: job.token, result, remove: retention === true, resolve, reject });
      nudge();
    });
  };

  /** Sends the waiting completions along with a claim of `limit` (0: none); returns the claimed jobs. */
  const completeAndClaim = async (limit: number): Promise<ClaimedJob[]> => {
    const batch = completions.splice(0);
    const claim = {
      limit,
      leaseMs: settings.leaseMs,
      groupConcurrency: settings.groupConcurrency,
      groupRate: settings.groupRate,
    };
    if (batch.length === 0) return limit > 0 ? driver.claim(queue.name, claim) : [];
    try {
      const outcome = await driver.completeAndClaim!(queue.name, batch, claim);
      for (const [index, pending] of batch.entries()) pending.resolve(outcome.completed[index] === true);
      return outcome.jobs;
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      throw error;
    }
  };

  /** Every started job until its outcome is recorded (a settled job may still be completing). */
  const unfinished = new Set<Promise<void>>();

  const start = (job: ClaimedJob) => {
    const entry: InFlight = {
      job,
      controller: undefined,
      aborted: false,
      reason: undefined,
      interrupt: undefined,
      done: Promise.resolve(),
      settled: false,
    };
    inFlight.set(job.id, entry);
    if (events.has('active')) events.emit('active', { job });
    const finish = () => {
      settle(entry);
      unfinished.delete(done);
    };
    const done = execute(entry).then(finish, (error: unknown) => {
      events.emit('error', { error });
      finish();
    });
    entry.done = done;
    unfinished.add(done);
  };

  // Claims are pipelined: while the jobs of one claim run here, the next is already on its way, so the
  // worker and the server work at once instead of in turn (bench/index.ts, "process 20000 no-op jobs":
  // one claim at a time left each side idle half the time). Each claim asks for half of what the
  // worker holds at most (concurrency + prefetch).
  const capacity = settings.concurrency + settings.prefetch;
  const perClaim = Math.ceil(capacity / 2);
  const claims = new Set<Promise<void>>();
  /** Slots promised to claims in flight. */
  let reserved = 0;
  /** The last claim came back full: more jobs are probably due. */
  let saturated = false;

  const startHeld = () => {
    while (state === 'running' && held.length > 0 && inFlight.size < settings.concurrency)
      start(held.shift()!);
  };

  const launchClaim = (): boolean => {
    if (claims.size >= 2) return false;
    const room = capacity - inFlight.size - held.length - reserved;
    // A second claim in flight only while claims come back full and there is room for a whole one.
    // Completions wait for the claim in flight to come back and go in the next: a batch per round
    // trip, not per turn (on PostgreSQL a statement per turn of 50 jobs was half the server's work).
    if (claims.size === 1 && !(saturated && room >= perClaim)) return false;
    const wanted = Math.max(0, Math.min(room, perClaim));
    if (wanted === 0 && completions.length === 0) return false;
    reserved += wanted;
    const claim: Promise<void> = completeAndClaim(wanted)
      .then(
        (jobs) => {
          reserved -= wanted;
          for (const job of jobs) held.push(job);
          startHeld();
          if (wanted > 0) saturated = jobs.length === wanted;
        },
        (error: unknown) => {
          reserved -= wanted;
          saturated = false;
          events.emit('error', { error });
        },
      )
      .finally(() => {
        claims.delete(claim);
        // A full batch: more may be due, claim again now; completions waiting for a ride go too.
        if (saturated || completions.length > 0) nudge();
      });
    claims.add(claim);
    return true;
  };

  const run = async () => {
    while (state === 'running') {
      nudged = false;
      // Let every job that finishes in this turn free its slot first, so one claim fills them all
      // (bench/index.ts, "process 20000 no-op jobs": one claim per freed slot halved throughput).
      if (inFlight.size > 0) await new Promise((resolve) => setImmediate(resolve));
      if (state !== 'running') break;
      startHeld();
      while (launchClaim());
      await sleep(settings.pollMs);
    }
    await Promise.all([...claims]);
  };

  const heartbeat = async () => {
    const entries = [...inFlight.values()];
    if (entries.length === 0 && held.length === 0) return;
    const leases = [...entries.map((entry) => entry.job), ...held].map((job) => ({
      id: job.id,
      token: job.token,
    }));
    const kept = new Set(await driver.extend(queue.name, leases, settings.leaseMs));
    // A held job whose lease was lost is simply dropped: it runs elsewhere.
    for (let index = held.length - 1; index >= 0; index--)
      if (!kept.has(held[index]!.id)) held.splice(index, 1);
    for (const entry of entries) {
      if (kept.has(entry.job.id) || entry.settled) continue;
      // Another worker owns the job now: stop ours and free the slot.
      abort(
        entry,
        new JobsError('ERR_JOBS_STALLED', `The lease of job ${entry.job.id} was lost; it runs elsewhere.`),
      );
      settle(entry);
    }
  };

  const recover = async () => {
    for (const id of await driver.recover(queue.name)) events.emit('stalled', { id });
  };

  const every = (ms: number, task: () => Promise<void>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      task()
        .catch((error: unknown) => events.emit('error', { error }))
        .finally(() => {
          busy = false;
        });
    }, ms);
    timer.unref?.();
    timers.push(timer);
  };

  const worker: Worker = {
    on: (event, listener) => events.on(event, listener),
    get running() {
      return inFlight.size;
    },
    start() {
      if (state !== 'idle') return;
      state = 'running';
      every(settings.heartbeatMs, heartbeat);
      every(settings.leaseMs, recover);
      if (typeof retention === 'object') every(settings.heartbeatMs, prune);
      loop = (async () => {
        if (driver.subscribe) {
          try {
            unsubscribe = await driver.subscribe(queue.name, nudge);
          } catch (error) {
            events.emit('error', { error });
          }
        }
        await run();
      })();
    },
    async close(closeOptions = {}) {
      if (state === 'closed' || state === 'closing') return;
      const wasRunning = state === 'running';
      state = 'closing';
      nudge();
      await loop;
      for (const timer of timers) clearInterval(timer);
      // Completions that waited for a claim the loop no longer makes.
      await completeAndClaim(0).catch((error: unknown) => events.emit('error', { error }));
      if (wasRunning) await drain(closeOptions.timeoutMs ?? settings.shutdownTimeoutMs);
      await prune().catch((error: unknown) => events.emit('error', { error }));
      await unsubscribe?.().catch(() => undefined);
      state = 'closed';
    },
    async [Symbol.asyncDispose]() {
      await worker.close();
    },
  };

  // Waits for in-flight jobs; what is still running after the timeout is aborted and handed back.
  const drain = async (timeoutMs: number) => {
    const unstarted = held.splice(0);
    await Promise.all(
      unstarted.map((job) =>
        driver
          .release(queue.name, job.id, job.token)
          .catch((error: unknown) => events.emit('error', { error })),
      ),
    );
    const all = Promise.all([...inFlight.values()].map((entry) => entry.done));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    const rest = [...inFlight.values()];
    await Promise.all(
      rest.map(async (entry) => {
        abort(
          entry,
          new JobsError('ERR_JOBS_CLOSED', 'The worker shut down; the job was handed back to the queue.'),
        );
        settle(entry);
        await driver
          .release(queue.name, entry.job.id, entry.job.token)
          .catch((error: unknown) => events.emit('error', { error }));
      }),
    );
    // Outcomes still being recorded (bounded by the driver's own calls).
    await Promise.all([...unfinished]);
  };

  if (options.autostart !== false) worker.start();
  return worker;
}

const resolved = Promise.resolve();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof JobsError && reason.code === 'ERR_JOBS_TIMEOUT';
}
