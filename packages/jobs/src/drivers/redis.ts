// The Redis QueueDriver: each call is one Lua script (drivers/redis-scripts.ts), so claims, acks and
// retries are atomic on the server; delayed jobs wait in a sorted set. The ioredis client is yours.
import { createHash, randomUUID } from 'node:crypto';
import type {
  AddResult,
  ClaimedJob,
  ClaimOptions,
  JobCounts,
  JobRecord,
  JobState,
  NewJob,
  QueueDriver,
} from '../driver.js';
import { JobsError } from '../errors.js';
import { createBatcher } from './batcher.js';
import { type ClaimedRow, claimedJob } from './claimed-row.js';
import * as scriptModule from './redis-scripts.js';

/** The part of an ioredis client (or Cluster) this driver calls. */
export interface RedisClient {
  evalsha(sha: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  /** Used only by workers' wake-ups: one subscriber connection, closed by `close()`. */
  duplicate(): RedisSubscriber;
}

/** The part of a duplicated ioredis connection the wake-ups use. */
export interface RedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  quit(): Promise<unknown>;
}

/** Options of {@link redisDriver}. */
export interface RedisDriverOptions {
  /** Your ioredis client; the driver never closes it. */
  client: RedisClient;
  /** Prepended to every key (default `plinth:jobs:`), so several apps or tests share one Redis. */
  prefix?: string;
  /** A clock in ms for tests; by default the Redis server's clock, the same for every process. */
  now?: () => number;
}

type ScriptName = keyof typeof scriptModule;
const scripts: Record<ScriptName, string> = { ...scriptModule };

const shas = new Map<string, string>();
function shaOf(script: string): string {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

function parsed(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

function recordOf(queue: string, id: string, hash: Record<string, string>): JobRecord {
  return {
    id,
    queue,
    name: hash.name!,
    payload: parsed(hash.payload),
    state: hash.state as JobState,
    priority: Number(hash.priority),
    attempts: Number(hash.attempts),
    maxAttempts: Number(hash.max),
    runAt: Number(hash.runAt),
    createdAt: Number(hash.createdAt),
    group: hash.group,
    startedAt: optionalNumber(hash.startedAt),
    finishedAt: optionalNumber(hash.finishedAt),
    progress: parsed(hash.progress),
    result: parsed(hash.result),
    error: hash.error,
  };
}

// The claim scripts answer one JSON text (redis-scripts.ts, claimJobs): the n-th job's token is prefix + n.
function claimedOf(queue: string, tokenPrefix: string, reply: string): ClaimedJob[] {
  const parsed = JSON.parse(reply) as [number, number, ...ClaimedRow[]];
  const [startedAt, leaseUntil] = parsed;
  const jobs: ClaimedJob[] = new Array(parsed.length - 2);
  for (let index = 2; index < parsed.length; index++)
    jobs[index - 2] = claimedJob(
      queue,
      parsed[index] as ClaimedRow,
      `${tokenPrefix}${index - 1}`,
      startedAt,
      leaseUntil,
    );
  return jobs;
}

function hashOf(flat: string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let index = 0; index < flat.length; index += 2) hash[flat[index]!] = flat[index + 1]!;
  return hash;
}

function pairs(queue: string, reply: unknown): Array<{ record: JobRecord; hash: Record<string, string> }> {
  const flat = reply as Array<string | string[]>;
  const out = [];
  for (let index = 0; index < flat.length; index += 2) {
    const hash = hashOf(flat[index + 1] as string[]);
    out.push({ record: recordOf(queue, flat[index] as string, hash), hash });
  }
  return out;
}

function driverError(cause: unknown): JobsError {
  if (cause instanceof JobsError) return cause;
  return new JobsError(
    'ERR_JOBS_DRIVER',
    `Redis failed: ${cause instanceof Error ? cause.message : String(cause)}; check REDIS_URL and that the server answers.`,
    { cause },
  );
}

/**
 * The Redis driver (ioredis 5 or 6, Redis 6.2+).
 *
 * @example
 * import { Redis } from 'ioredis';
 * const queue = createQueue({ driver: redisDriver({ client: new Redis(process.env.REDIS_URL) }), jobs });
 */
export function redisDriver(options: RedisDriverOptions): QueueDriver {
  const { client } = options;
  if (!client || typeof client.evalsha !== 'function')
    throw new JobsError(
      'ERR_JOBS_INVALID_OPTION',
      'redisDriver needs { client }: an ioredis client (new Redis(url)).',
    );
  const prefix = options.prefix ?? 'plinth:jobs:';
  const base = (queue: string) => `${prefix}{${queue}}:`;
  const nowArg = () => (options.now ? String(options.now()) : '');
  let subscriber: RedisSubscriber | undefined;
  const listeners = new Map<string, Set<() => void>>();

  const run = async (name: ScriptName, queue: string, ...args: Array<string | number>): Promise<unknown> => {
    const script = scripts[name];
    const argv = [base(queue), nowArg(), ...args];
    try {
      return await client.evalsha(shaOf(script), 0, ...argv);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw driverError(error);
      try {
        return await client.eval(script, 0, ...argv);
      } catch (retried) {
        throw driverError(retried);
      }
    }
  };

  const subscriberOf = () => {
    if (!subscriber) {
      subscriber = client.duplicate();
      subscriber.on('message', (channel) => {
        for (const listener of listeners.get(channel) ?? []) listener();
      });
    }
    return subscriber;
  };

  const claimArguments = (claim: ClaimOptions, tokenPrefix: string): Array<string | number> => [
    claim.limit,
    claim.leaseMs,
    claim.groupConcurrency ?? '',
    tokenPrefix,
    claim.groupRate?.limit ?? '',
    claim.groupRate?.windowMs ?? '',
  ];

  const completeBatched = createBatcher(async (queue: string, items: string[][]) => {
    const reply = (await run('completeScript', queue, ...items.flat())) as number[];
    return reply.map((value) => value === 1);
  });

  return {
    name: 'redis',
    async add(queue: string, jobs: readonly NewJob[]) {
      const args: Array<string | number> = [jobs.length];
      for (const job of jobs) {
        args.push(
          job.id,
          job.name,
          json(job.payload),
          job.priority,
          job.maxAttempts,
          job.runAt ?? '',
          job.group ?? '',
        );
        args.push(job.key?.mode ?? '', job.key?.value ?? '', job.key?.windowMs ?? 0);
      }
      const reply = (await run('addScript', queue, ...args)) as Array<number | string>;
      const results: AddResult[] = [];
      for (let index = 0; index < reply.length; index += 2)
        results.push({ added: reply[index] === 1, id: String(reply[index + 1]) });
      return results;
    },
    async claim(queue, claim) {
      const tokenPrefix = `${randomUUID()}:`;
      const reply = await run('claimScript', queue, ...claimArguments(claim, tokenPrefix));
      return claimedOf(queue, tokenPrefix, reply as string);
    },
    async completeAndClaim(queue, completions, claim) {
      const tokenPrefix = `${randomUUID()}:`;
      const args = claimArguments(claim, tokenPrefix);
      for (const completion of completions)
        args.push(completion.id, completion.token, json(completion.result), completion.remove ? '1' : '');
      const reply = (await run('completeAndClaimScript', queue, ...args)) as Array<number | string>;
      const completed: boolean[] = new Array(completions.length);
      for (let index = 0; index < completions.length; index++) completed[index] = reply[index] === 1;
      return { completed, jobs: claimedOf(queue, tokenPrefix, reply[completions.length] as string) };
    },
    async extend(queue, leases, leaseMs) {
      if (leases.length === 0) return [];
      const args: Array<string | number> = [leaseMs];
      for (const lease of leases) args.push(lease.id, lease.token);
      return (await run('extendScript', queue, ...args)) as string[];
    },
    async complete(queue, id, token, result, options) {
      return completeBatched(queue, [id, token, json(result), options?.remove ? '1' : '']);
    },
    async prune(queue, state, keep) {
      if (keep.age === undefined && keep.count === undefined) return 0;
      return Number(await run('pruneScript', queue, state, keep.age ?? '', keep.count ?? ''));
    },
    async fail(queue, id, token, failure) {
      return (await run('failScript', queue, id, token, failure.error, failure.retryAt ?? '')) as
        | 'retried'
        | 'dead'
        | 'lost';
    },
    async release(queue, id, token) {
      return (await run('releaseScript', queue, id, token)) === 1;
    },
    async progress(queue, id, token, value) {
      return (await run('progressScript', queue, id, token, json(value))) === 1;
    },
    async recover(queue) {
      return (await run('recoverScript', queue)) as string[];
    },
    async get(queue, id) {
      let hash: Record<string, string>;
      try {
        hash = await client.hgetall(`${base(queue)}j:${id}`);
      } catch (error) {
        throw driverError(error);
      }
      return hash.state ? recordOf(queue, id, hash) : undefined;
    },
    async list(queue, state, paging = {}) {
      const reply = await run('listScript', queue, state, paging.offset ?? 0, paging.limit ?? 100);
      return pairs(queue, reply).map(({ record }) => record);
    },
    async redrive(queue, id) {
      return (await run('redriveScript', queue, id)) === 1;
    },
    async remove(queue, id) {
      return (await run('removeScript', queue, id)) === 1;
    },
    async counts(queue): Promise<JobCounts> {
      const [waiting, delayed, active, completed, dead, latency] = (
        (await run('countsScript', queue)) as Array<number | string>
      ).map(Number);
      return {
        waiting: waiting!,
        delayed: delayed!,
        active: active!,
        completed: completed!,
        dead: dead!,
        latency: latency!,
      };
    },
    async now() {
      return Number(await run('timeScript', ''));
    },
    async subscribe(queue, onJob) {
      const channel = `${base(queue)}wake`;
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await subscriberOf().subscribe(channel);
      }
      set.add(onJob);
      return async () => {
        set.delete(onJob);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          await subscriber?.unsubscribe(channel).catch(() => undefined);
        }
      };
    },
    async close() {
      listeners.clear();
      const open = subscriber;
      subscriber = undefined;
      await open?.quit().catch(() => undefined);
    },
  };
}
