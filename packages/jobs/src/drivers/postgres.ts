// The PostgreSQL QueueDriver: claims with FOR UPDATE SKIP LOCKED, wake-ups with LISTEN/NOTIFY, and
// enqueue inside your own transaction ({ tx }) so a job exists if and only if your change committed.
import { createHash, randomBytes } from 'node:crypto';
import type {
  AddResult,
  ClaimedJob,
  ClaimOptions,
  CompleteAndClaimResult,
  Completion,
  JobCounts,
  JobRecord,
  JobState,
  NewJob,
  QueueDriver,
} from '../driver.js';
import { JobsError } from '../errors.js';
import { createBatcher } from './batcher.js';
import { type ClaimedRow, claimedJob } from './claimed-row.js';
import { now, statementsFor } from './postgres-sql.js';

type Row = Record<string, unknown>;

const prepared = { prepare: true };

/** The part of a postgres.js `sql` (or transaction) the driver calls. */
export interface PostgresQueryable {
  unsafe(
    query: string,
    parameters?: unknown[],
    options?: { prepare?: boolean },
  ): PromiseLike<readonly Record<string, unknown>[]>;
}

/** The part of postgres.js's `sql` the driver calls; your pool, never closed by the driver. */
export interface PostgresSql extends PostgresQueryable {
  begin<T>(callback: (tx: PostgresQueryable) => T | Promise<T>): PromiseLike<unknown>;
  listen(
    channel: string,
    onNotify: (payload: string) => void,
  ): PromiseLike<{ unlisten(): PromiseLike<unknown> }>;
}

/** Options of {@link postgresDriver}. */
export interface PostgresDriverOptions {
  /** Your postgres.js `sql`. */
  sql: PostgresSql;
  /** The schema of the jobs table (default `plinth_jobs`). */
  schema?: string;
  /** Create the schema and table on first use (default true). */
  migrate?: boolean;
  /** A clock in ms for tests; by default the database server's clock. */
  now?: () => number;
}

const records = (queue: string, rows: readonly Row[]) => rows.map((row) => recordOf(queue, row));

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function recordOf(queue: string, row: Row): JobRecord {
  return {
    id: row.id as string,
    queue,
    name: row.name as string,
    payload: row.payload,
    state: row.state as JobState,
    priority: Number(row.priority),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    createdAt: Number(row.created_at),
    group: (row.group_key as string | null) ?? undefined,
    startedAt: optionalNumber(row.started_at),
    finishedAt: optionalNumber(row.finished_at),
    progress: row.progress ?? undefined,
    result: row.result ?? undefined,
    error: (row.error as string | null) ?? undefined,
  };
}

/** Which completion statement a batch takes: only kept, only removed, or both. */
const finishOf = (items: readonly unknown[][]): 'keep' | 'remove' | 'mixed' => {
  let removed = 0;
  for (const item of items) if (item[3] === true) removed++;
  return removed === 0 ? 'keep' : removed === items.length ? 'remove' : 'mixed';
};

const completionItems = (completions: readonly Completion[]) =>
  completions.map((item) => [item.id, item.token, item.result ?? null, item.remove === true]);

function byClaimOrder(a: Row, b: Row): number {
  return (
    Number(b.priority) - Number(a.priority) ||
    Number(a.run_at) - Number(b.run_at) ||
    Number(a.seq) - Number(b.seq)
  );
}

/**
 * A claim's token prefix: 96 random bits in 16 characters, where a UUID took 36. Every claimed row
 * stores its token until it finishes, so a shorter one is a smaller row version to write and log
 * (a serial completeAndClaim loop keeping 5,000 jobs: 926 -> 900 WAL bytes per job; it also lets
 * more claimed versions fit on their page, see `fillfactor` in postgres-sql.ts).
 */
const tokenPrefix = () => `${randomBytes(12).toString('base64url')}:`;

function driverError(cause: unknown): JobsError {
  if (cause instanceof JobsError) return cause;
  return new JobsError(
    'ERR_JOBS_DRIVER',
    `PostgreSQL failed: ${cause instanceof Error ? cause.message : String(cause)}; check DATABASE_URL and that the server answers.`,
    { cause },
  );
}

/**
 * The PostgreSQL driver (postgres.js 3.4+, PostgreSQL 13+).
 *
 * @example
 * import postgres from 'postgres';
 * const sql = postgres(process.env.DATABASE_URL);
 * const queue = createQueue({ driver: postgresDriver({ sql }), jobs });
 * await sql.begin(async (tx) => {
 *   await tx`update tasks set assignee = ${user} where id = ${task}`;
 *   await queue.enqueue(notify, { task }, { driver: { tx } });
 * });
 */
export function postgresDriver(options: PostgresDriverOptions): QueueDriver {
  const { sql } = options;
  if (!sql || typeof sql.unsafe !== 'function')
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      'postgresDriver needs { sql }: a postgres.js client (postgres(url)).',
    );
  const schema = options.schema ?? 'plinth_jobs';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      `schema "${schema}" must be a plain SQL identifier (letters, digits, _).`,
    );
  const statements = statementsFor(schema);
  const lockKey =
    Number.parseInt(createHash('sha1').update(`plinth_jobs:${schema}`).digest('hex').slice(0, 8), 16) | 0;
  const clock = () => (options.now ? options.now() : null);
  const listeners = new Map<string, Set<() => void>>();
  let listening: Promise<{ unlisten(): PromiseLike<unknown> }> | undefined;

  let ready: Promise<void> | undefined;
  const migrate = () => {
    if (options.migrate === false) return Promise.resolve();
    ready ??= Promise.resolve(
      sql.begin(async (tx: PostgresQueryable) => {
        // Two processes creating the table at once would collide on the catalog: one at a time.
        await tx.unsafe('SELECT pg_advisory_xact_lock($1)', [lockKey]);
        for (const statement of statements.migrate) await tx.unsafe(statement);
      }),
    ).then(
      () => undefined,
      (error: unknown) => {
        ready = undefined;
        throw driverError(error);
      },
    );
    return ready;
  };

  // Prepared (named, per connection): postgres.js sends an unprepared query with parameters as a
  // describe round trip and then the execution, and the server parses and plans it every time
  // (bench/index.ts, "process 20000 no-op jobs"). A client made with `prepare: false` (PgBouncer in
  // transaction mode) keeps its choice: postgres.js lets the client's option win.
  const query = async (
    text: string,
    parameters: unknown[],
    on: PostgresQueryable = sql,
  ): Promise<readonly Row[]> => {
    await migrate();
    try {
      return await on.unsafe(text, text.includes(now) ? [clock(), ...parameters] : parameters, prepared);
    } catch (error) {
      throw driverError(error);
    }
  };

  /** The payload of a queue's wake-ups: workers listen on one channel for every queue. */
  const channelOf = (queue: string) => `${schema}.${queue}`;
  const notify = (queue: string, on: PostgresQueryable = sql) =>
    query(statements.notify, [channelOf(queue)], on);

  const completeBatched = createBatcher(async (queue: string, items: unknown[][]) => {
    const done = new Set(
      (await query(statements.complete[finishOf(items)], [queue, { v: items }])).map(
        (row) => row.id as string,
      ),
    );
    return items.map((item) => done.has(item[0] as string));
  });

  // Group limits read what other claims wrote: one claim of the queue at a time (advisory lock), and
  // the rate window's counts written in the same transaction.
  const claimFairly = async (
    queue: string,
    claim: ClaimOptions,
    completions: readonly Completion[],
  ): Promise<{ done: Set<string>; rows: readonly Row[] }> => {
    await migrate();
    let rows: readonly Row[] = [];
    let done = new Set<string>();
    try {
      await sql.begin(async (tx: PostgresQueryable) => {
        // Every statement of the transaction prepared, as `query` prepares the others.
        const run = (text: string, parameters: unknown[]) => tx.unsafe(text, parameters, prepared);
        await run('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockKey, queue]);
        if (completions.length > 0) {
          const items = completionItems(completions);
          done = new Set(
            (await run(statements.complete[finishOf(items)], [clock(), queue, { v: items }])).map(
              (row) => row.id as string,
            ),
          );
        }
        if (claim.limit <= 0) return;
        const time = options.now ? options.now() : Number((await run(statements.now, [null]))[0]!.now);
        const windowStart = claim.groupRate
          ? Math.floor(time / claim.groupRate.windowMs) * claim.groupRate.windowMs
          : null;
        rows = await run(statements.claimGroups, [
          time,
          queue,
          claim.limit,
          claim.leaseMs,
          claim.groupConcurrency ?? null,
          claim.groupRate?.limit ?? null,
          windowStart,
          tokenPrefix(),
        ]);
        if (windowStart === null) return;
        const perGroup = new Map<string, number>();
        for (const row of rows)
          if (row.group_key)
            perGroup.set(row.group_key as string, (perGroup.get(row.group_key as string) ?? 0) + 1);
        if (perGroup.size > 0) await run(statements.countRates, [queue, windowStart, { v: [...perGroup] }]);
        await run(statements.pruneRates, [queue, windowStart]);
      });
    } catch (error) {
      throw driverError(error);
    }
    return { done, rows };
  };

  const claimed = (queue: string, rows: readonly Row[]): ClaimedJob[] =>
    [...rows].sort(byClaimOrder).map((row) => ({
      ...recordOf(queue, row),
      token: row.token as string,
      leaseUntil: Number(row.lease_until),
    }));

  const completeAndClaim = async (
    queue: string,
    completions: readonly Completion[],
    claim: ClaimOptions,
  ): Promise<CompleteAndClaimResult> => {
    if (claim.groupConcurrency !== undefined || claim.groupRate) {
      const { done, rows } = await claimFairly(queue, claim, completions);
      return { completed: completions.map((item) => done.has(item.id)), jobs: claimed(queue, rows) };
    }
    const items = completionItems(completions);
    const [row] = await query(statements.completeAndClaim[finishOf(items)], [
      queue,
      { v: items },
      claim.limit,
      claim.leaseMs,
      tokenPrefix(),
    ]);
    const done = new Set(row!.done as string[]);
    const startedAt = Number(row!.started_at);
    const leaseUntil = startedAt + claim.leaseMs;
    const jobs = (row!.jobs as ClaimedRow[]).map((job) =>
      claimedJob(queue, job, job[11] as string, startedAt, leaseUntil),
    );
    return { completed: completions.map((item) => done.has(item.id)), jobs };
  };

  // Plain jobs in one statement; keyed jobs one by one, in the key state machine's statements.
  const addPlain = async (
    queue: string,
    jobs: readonly NewJob[],
    on: PostgresQueryable,
  ): Promise<AddResult[]> => {
    const payload = jobs.map((job) => ({
      id: job.id,
      name: job.name,
      payload: job.payload ?? null,
      priority: job.priority,
      max: job.maxAttempts,
      runAt: job.runAt ?? null,
      group: job.group ?? null,
    }));
    const rows = await query(statements.add, [queue, { v: payload }, channelOf(queue)], on);
    const inserted = new Set(rows.map((row) => row.id as string));
    const seen = new Set<string>();
    return jobs.map((job) => {
      const added = inserted.has(job.id) && !seen.has(job.id);
      seen.add(job.id);
      return { id: job.id, added };
    });
  };

  const addKeyed = async (queue: string, job: NewJob, on: PostgresQueryable): Promise<AddResult> => {
    const key = job.key!;
    const parameters = [
      queue,
      job.id,
      job.name,
      { v: job.payload ?? null },
      job.priority,
      job.maxAttempts,
      job.runAt ?? null,
      job.group ?? null,
      key.value,
      key.windowMs,
    ];
    if (key.mode === 'debounce') {
      const [row] = await query(statements.addDebounce, parameters, on);
      return { id: row!.id as string, added: row!.inserted === true };
    }
    // A holder that finishes between the refused insert and the lookup frees the key: try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (key.mode === 'dedupe') {
        if ((await query(statements.addDedupe, parameters, on)).length === 1)
          return { id: job.id, added: true };
        const [holder] = await query(statements.holderDedupe, [queue, job.id, key.value], on);
        if (holder) return { id: holder.id as string, added: false };
      } else {
        if ((await query(statements.addThrottle, parameters, on)).length === 1)
          return { id: job.id, added: true };
        const [holder] = await query(statements.holderThrottle, [queue, key.value], on);
        if (holder) return { id: holder.id as string, added: false };
      }
    }
    throw new JobsError(
      'ERR_JOBS_DRIVER',
      `The key "${key.value}" of job ${job.id} changed hands three times during one add; try again.`,
    );
  };

  const addJobs = async (
    queue: string,
    jobs: readonly NewJob[],
    on: PostgresQueryable,
  ): Promise<AddResult[]> => {
    const results: AddResult[] = new Array(jobs.length);
    const plain = jobs.flatMap((job, index) => (job.key ? [] : [index]));
    if (plain.length > 0) {
      const added = await addPlain(
        queue,
        plain.map((index) => jobs[index]!),
        on,
      );
      plain.forEach((index, at) => {
        results[index] = added[at]!;
      });
    }
    let keyedAdded = false;
    for (const [index, job] of jobs.entries()) {
      if (!job.key) continue;
      results[index] = await addKeyed(queue, job, on);
      keyedAdded ||= results[index].added;
    }
    // Plain jobs woke the workers in their own statement. Inside the caller's transaction, NOTIFY is
    // delivered only if it commits.
    if (keyedAdded) await notify(queue, on);
    return results;
  };

  return {
    name: 'postgres',
    async add(queue: string, jobs: readonly NewJob[], addOptions = {}) {
      const tx = addOptions.tx as PostgresQueryable | undefined;
      if (jobs.some((job) => job.key) && !tx) {
        // Keyed jobs take one statement each: one transaction keeps the call all-or-nothing.
        await migrate();
        let results: AddResult[] = [];
        try {
          await sql.begin(async (own: PostgresQueryable) => {
            results = await addJobs(queue, jobs, own);
          });
        } catch (error) {
          throw driverError(error);
        }
        return results;
      }
      return addJobs(queue, jobs, tx ?? sql);
    },
    async claim(queue, claim) {
      return (await completeAndClaim(queue, [], claim)).jobs;
    },
    completeAndClaim,
    async extend(queue, leases, leaseMs) {
      if (leases.length === 0) return [];
      const rows = await query(statements.extend, [
        queue,
        leaseMs,
        { v: leases.map((lease) => [lease.id, lease.token]) },
      ]);
      return rows.map((row) => row.id as string);
    },
    async complete(queue, id, token, result, completeOptions) {
      return completeBatched(queue, [id, token, result ?? null, completeOptions?.remove === true]);
    },
    async prune(queue, state, keep) {
      if (keep.age === undefined && keep.count === undefined) return 0;
      return (await query(statements.prune, [queue, state, keep.age ?? null, keep.count ?? null])).length;
    },
    async fail(queue, id, token, failure) {
      const rows = await query(statements.fail, [queue, id, token, failure.error, failure.retryAt ?? null]);
      if (rows.length === 0) return 'lost';
      if (rows[0]!.state === 'waiting') {
        await notify(queue);
        return 'retried';
      }
      return 'dead';
    },
    async release(queue, id, token) {
      const released = (await query(statements.release, [queue, id, token])).length === 1;
      if (released) await notify(queue);
      return released;
    },
    async progress(queue, id, token, value) {
      return (await query(statements.progress, [queue, id, token, { v: value ?? null }])).length === 1;
    },
    async recover(queue) {
      const rows = await query(statements.recover, [queue]);
      if (rows.some((row) => row.state === 'waiting')) await notify(queue);
      return rows.map((row) => row.id as string);
    },
    async get(queue, id) {
      const [row] = await query(statements.get, [queue, id]);
      return row ? recordOf(queue, row) : undefined;
    },
    async list(queue, state, paging = {}) {
      return records(
        queue,
        await query(statements.list[state], [queue, paging.offset ?? 0, paging.limit ?? 100]),
      );
    },
    async redrive(queue, id) {
      const redriven = (await query(statements.redrive, [queue, id])).length === 1;
      if (redriven) await notify(queue);
      return redriven;
    },
    async remove(queue, id) {
      return (await query(statements.remove, [queue, id])).length === 1;
    },
    async counts(queue): Promise<JobCounts> {
      const [row] = await query(statements.counts, [queue]);
      return {
        waiting: Number(row!.waiting),
        delayed: Number(row!.delayed),
        active: Number(row!.active),
        completed: Number(row!.completed),
        dead: Number(row!.dead),
        latency: Number(row!.latency),
      };
    },
    async now() {
      const [row] = await query(statements.now, []);
      return Number(row!.now);
    },
    async subscribe(queue, onJob) {
      const key = channelOf(queue);
      let set = listeners.get(key);
      if (!set) {
        set = new Set();
        listeners.set(key, set);
      }
      set.add(onJob);
      listening ??= Promise.resolve(
        sql.listen('plinth_jobs', (payload) => {
          for (const listener of listeners.get(payload) ?? []) listener();
        }),
      );
      await listening;
      return async () => {
        set.delete(onJob);
      };
    },
    async close() {
      listeners.clear();
      const open = listening;
      listening = undefined;
      if (open) await Promise.resolve((await open).unlisten()).catch(() => undefined);
    },
  };
}
