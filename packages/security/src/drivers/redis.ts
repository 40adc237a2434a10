// The Redis RateLimitStore: every check is one EVALSHA of drivers/redis-script.ts (EVAL once when the
// server has not cached the script yet). The ioredis client is the user's; we never open or close it.
import { createHash } from 'node:crypto';
import { createDeadlines } from '../deadlines.js';
import { invalidOption, SecurityError } from '../errors.js';
import type { ConsumeRequest, ConsumeResult, RateLimitStore } from '../store.js';
import { consumeScript } from './redis-script.js';

/** The part of an ioredis client (or Cluster) this store calls. */
export interface RedisClient {
  evalsha(sha: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** Your ioredis client. */
  client: RedisClient;
  /** Prepended to every key (default `rl:`), so several apps or tests can share one Redis. */
  prefix?: string;
  /** A check that takes longer (up to 1.2× this) fails with ERR_SECURITY_STORE_UNAVAILABLE (default 500 ms). */
  timeoutMs?: number;
  /** A clock in ms for tests; by default the Redis server's clock, the same for every process. */
  now?: () => number;
}

const algorithmLetter = { 'fixed-window': 'f', 'sliding-window': 's', 'token-bucket': 't' } as const;
const scriptSha = createHash('sha1').update(consumeScript).digest('hex');

/** One check waiting for the next batch. */
interface Queued {
  readonly requests: readonly ConsumeRequest[];
  readonly resolve: (results: ConsumeResult[]) => void;
  readonly reject: (error: unknown) => void;
}

// A batch holds at most this many checks, so a burst goes out as several script calls in flight
// together: Redis runs one while this process encodes the next or decodes the answer of the last,
// instead of the two taking turns on one big call (bench "Redis limiter", 50 checks in flight: one
// call of up to 128 ran at 0.80x rate-limiter-flexible; calls of 16 ran faster than of 8, 32 or 128).
// Small batches also keep each script short, so it never blocks Redis for long.
const maxBatch = 16;

/**
 * The script's arguments for one batch (layout in drivers/redis-script.ts): the distinct policies
 * once, then one policy index per request, so a burst of checks of one policy sends its numbers once.
 */
function argumentsOf(
  batch: readonly Queued[],
  prefix: string,
  now: string,
): { keys: number; args: Array<string | number> } {
  const args: Array<string | number> = [];
  const policies: Array<string | number> = [];
  const indexes: number[] = [];
  const seen = new Map<string, number>();
  for (const item of batch) {
    for (const request of item.requests) {
      args.push(prefix + request.key);
      const burst = request.burst ?? request.limit;
      const cost = request.cost ?? 1;
      const force = request.force ? 1 : 0;
      const policy = `${request.algorithm} ${request.limit} ${request.windowMs} ${burst} ${cost} ${force}`;
      let index = seen.get(policy);
      if (index === undefined) {
        index = seen.size + 1;
        seen.set(policy, index);
        policies.push(
          algorithmLetter[request.algorithm],
          request.limit,
          request.windowMs,
          burst,
          cost,
          force,
        );
      }
      indexes.push(index);
    }
  }
  const keys = args.length;
  args.push(now, batch.length, seen.size);
  for (const item of batch) args.push(item.requests.length);
  for (const value of policies) args.push(value);
  for (const index of indexes) args.push(index);
  return { keys, args };
}

function resultAt(values: number[], at: number): ConsumeResult {
  return {
    allowed: values[at] === 1,
    remaining: values[at + 1]!,
    resetMs: values[at + 2]!,
    retryAfterMs: values[at + 3]!,
  };
}

function unavailable(cause: unknown): SecurityError {
  if (cause instanceof SecurityError) return cause;
  return new SecurityError(
    'ERR_SECURITY_STORE_UNAVAILABLE',
    `Redis failed a rate-limit check (${(cause as Error)?.message ?? String(cause)}); check REDIS_URL and the server.`,
    { cause },
  );
}

/**
 * A store in Redis shared by every process of the app: one atomic EVALSHA per check, the Redis
 * server's clock, keys expiring with their window.
 *
 * @example
 * import Redis from 'ioredis';
 * const store = redisStore({ client: new Redis(process.env.REDIS_URL), prefix: 'myapp:rl:' });
 */
export function redisStore(options: RedisStoreOptions): RateLimitStore {
  const { client } = options;
  if (typeof client?.evalsha !== 'function' || typeof client.eval !== 'function') {
    invalidOption('redisStore({ client }) needs an ioredis client (or one with evalsha, eval and del).');
  }
  const prefix = options.prefix ?? 'rl:';
  const timeoutMs = options.timeoutMs ?? 500;
  if (!(timeoutMs > 0)) invalidOption(`timeoutMs must be a number of ms > 0, got ${timeoutMs}.`);

  const deadlines = createDeadlines(
    timeoutMs,
    () =>
      new SecurityError(
        'ERR_SECURITY_STORE_UNAVAILABLE',
        `Redis did not answer a rate-limit check within ${timeoutMs} ms; check REDIS_URL and the server, or raise timeoutMs.`,
      ),
  );
  const fail = (error: unknown) => Promise.reject(unavailable(error));

  const call = async (keys: number, args: Array<string | number>): Promise<number[]> => {
    try {
      return (await client.evalsha(scriptSha, keys, ...args)) as number[];
    } catch (error) {
      // NOSCRIPT: the server restarted or flushed its script cache; EVAL loads it again.
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return (await client.eval(consumeScript, keys, ...args)) as number[];
    }
  };

  // The checks of one event-loop turn go to Redis in script calls of up to maxBatch checks, each
  // check still atomic (bench "Redis limiter": 50 checks in flight share a few round trips).
  let queue: Queued[] = [];
  const flush = () => {
    const pending = queue;
    queue = [];
    for (let from = 0; from < pending.length; from += maxBatch) {
      const batch = pending.slice(from, from + maxBatch);
      const { keys, args } = argumentsOf(
        batch,
        prefix,
        options.now === undefined ? '' : String(options.now()),
      );
      // One deadline per script call rather than one per check: fewer promises and set entries per check.
      deadlines.run(call(keys, args)).then(
        (values) => {
          let at = 0;
          for (const item of batch) {
            const results: ConsumeResult[] = [];
            for (let index = 0; index < item.requests.length; index++, at += 4)
              results.push(resultAt(values, at));
            item.resolve(results);
          }
        },
        (error: unknown) => {
          for (const item of batch) item.reject(error);
        },
      );
    }
  };
  const enqueue = (requests: readonly ConsumeRequest[]) =>
    new Promise<ConsumeResult[]>((resolve, reject) => {
      if (queue.length === 0) process.nextTick(flush);
      queue.push({ requests, resolve, reject });
    });

  return {
    name: 'redis',
    remote: true,
    consume: (requests) => enqueue(requests).catch(fail),
    async reset(keys) {
      if (keys.length === 0) return;
      await deadlines.run(client.del(...keys.map((key) => prefix + key))).catch(fail);
    },
    close() {
      deadlines.close();
      return Promise.resolve();
    },
  };
}
