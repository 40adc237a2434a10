// The rate limiter: several policies per request, keys by client IP, user, route or any function,
// checked in one atomic store call; answers RateLimit headers and a 429 problem. Framework-free:
// the adapters hand it a RequestView and apply its decision.
import { type ClientInfo, type ClientIp, type ClientIpOptions, createClientIp } from './client-ip.js';
import type { RequestView } from './context.js';
import { assertNumber, invalidOption, SecurityError, SecurityHttpError } from './errors.js';
import { assertPolicyName, limitItem, policyItem, retryAfterSeconds } from './rate-limit-headers.js';
import {
  type ConsumeRequest,
  type ConsumeResult,
  consumeNow,
  type MaybeSyncStore,
  type RateLimitAlgorithm,
  type RateLimitStore,
} from './store.js';

/** What a key function sees: the request plus its resolved client. */
export interface RateLimitRequest extends RequestView {
  /** The trusted client (resolved on first read). */
  readonly client: ClientInfo;
}

/** How requests are grouped: by client IP (IPv6 by /64), user, route, or your function (undefined = not limited). */
export type RateLimitKey = 'ip' | 'user' | 'route' | ((request: RateLimitRequest) => string | undefined);

/** One limit. */
export interface RateLimitPolicy {
  /** The name in the RateLimit headers (a token: `default`, `burst`, `daily`). */
  name: string;
  /** Requests per window (token bucket: refill rate). */
  limit: number;
  /** The window in milliseconds. */
  windowMs: number;
  /** Default `sliding-window`. */
  algorithm?: RateLimitAlgorithm;
  /** Token bucket only: bucket size (default `limit`). */
  burst?: number;
  /** Overrides the limiter's `key` for this policy. */
  key?: RateLimitKey;
  /** Units a request costs (default 1). */
  cost?: (request: RateLimitRequest) => number;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Where counts live: `memoryStore()` or `redisStore({ client })`. */
  store: RateLimitStore;
  /** One or more policies, all applied to each request. */
  policies: readonly RateLimitPolicy[];
  /** Default key of the policies (default `ip`). */
  key?: RateLimitKey;
  /** For `key: 'user'`: the user id of a request (anonymous requests are keyed by IP). */
  user?: (request: RateLimitRequest) => string | undefined;
  /** Trusted proxies, or a resolver from `createClientIp` (default: the TCP peer is the client). */
  clientIp?: ClientIpOptions | ClientIp;
  /**
   * What happens when the store cannot answer: `open` lets requests through, `closed` answers 503.
   * Required for a remote store (Redis): there is no safe default for you to inherit.
   */
  whenStoreFails?: 'open' | 'closed';
  /** Called with the store's error on each failed check (log it). */
  onStoreError?: (error: unknown) => void;
  /** Requests to leave alone (health checks). */
  skip?: (request: RequestView) => boolean;
  /** Send RateLimit / RateLimit-Policy on every answer (default true). */
  headers?: boolean;
  /**
   * Told once when requests look proxied but no proxies are trusted (every client would share the
   * proxy's key). Default: `console.warn`; pass `() => {}` to silence.
   */
  onWarning?: (warning: SecurityError) => void;
}

/** The outcome of one check. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Headers for the response, allowed or not. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** When not allowed: the 429 (or, failing closed, 503) to answer with. */
  readonly error?: SecurityHttpError;
}

/** A configured limiter; adapters call `check`. */
export interface RateLimiter {
  check(request: RequestView, encrypted?: boolean): Promise<RateLimitDecision>;
  /** True when some policy keys by client IP (adapters then need the peer address). */
  readonly needsClientIp: boolean;
  /** Forgets the counters of one client key for every policy (e.g. after a support ticket). */
  reset(key: string): Promise<void>;
}

interface CompiledPolicy {
  readonly policy: RateLimitPolicy;
  readonly algorithm: RateLimitAlgorithm;
  /** The store key of a request (`<policy>:<key>`), or undefined when the policy does not apply. */
  readonly storeKey: (request: RateLimitRequest) => string | undefined;
  readonly header: string;
}

/**
 * The store key of a client key under one policy, remembered (a bounded map cleared when full): a
 * client's requests then reuse one string, hash included, instead of joining and hashing two new
 * strings per request (bench "Express 5 app, rate limited").
 */
function joinedKeys(prefix: string): (key: string) => string {
  const joined = new Map<string, string>();
  return (key) => {
    let full = joined.get(key);
    if (full === undefined) {
      full = prefix + key;
      if (joined.size >= 10_000) joined.clear();
      joined.set(key, full);
    }
    return full;
  };
}

/** The store key function of one policy: for `ip`, one remembered string per client address. */
function storeKeyFunction(
  name: string,
  key: RateLimitKey,
  options: RateLimiterOptions,
): (request: RateLimitRequest) => string | undefined {
  if (key === 'ip') {
    const join = joinedKeys(`${name}:ip:`);
    return (request) => {
      const client = request.client.key;
      return client === undefined ? undefined : join(client);
    };
  }
  const keyOf = keyFunction(key, options);
  return (request) => {
    const value = keyOf(request);
    return value === undefined ? undefined : `${name}:${value}`;
  };
}

const allowedEmpty: RateLimitDecision = { allowed: true, headers: [] };

function validatePolicies(policies: readonly RateLimitPolicy[]): void {
  if (!Array.isArray(policies) || policies.length === 0) {
    invalidOption(
      'policies must list at least one policy, e.g. [{ name: "default", limit: 100, windowMs: 60_000 }].',
    );
  }
  const names = new Set<string>();
  for (const policy of policies) {
    assertPolicyName(policy.name);
    if (names.has(policy.name))
      invalidOption(`Two rate-limit policies are named "${policy.name}"; names must differ.`);
    names.add(policy.name);
    assertNumber(`policy "${policy.name}".limit`, policy.limit, 1);
    assertNumber(`policy "${policy.name}".windowMs`, policy.windowMs, 1);
    if (policy.burst !== undefined) assertNumber(`policy "${policy.name}".burst`, policy.burst, 1);
    const algorithm = policy.algorithm ?? 'sliding-window';
    if (!['fixed-window', 'sliding-window', 'token-bucket'].includes(algorithm)) {
      invalidOption(
        `policy "${policy.name}".algorithm must be "fixed-window", "sliding-window" or "token-bucket", got ${JSON.stringify(algorithm)}.`,
      );
    }
  }
}

function keyFunction(
  key: RateLimitKey,
  options: RateLimiterOptions,
): (request: RateLimitRequest) => string | undefined {
  if (typeof key === 'function') return key;
  if (key === 'ip')
    return (request) => (request.client.key === undefined ? undefined : `ip:${request.client.key}`);
  if (key === 'route') return (request) => `route:${request.method} ${request.routePath ?? request.path}`;
  if (key === 'user') {
    const user = options.user;
    if (user === undefined)
      invalidOption('key: "user" needs the user option: user: (request) => request.state.user?.id.');
    return (request) => {
      const id = user(request);
      if (id !== undefined) return `user:${id}`;
      return request.client.key === undefined ? undefined : `ip:${request.client.key}`;
    };
  }
  return invalidOption(`key must be "ip", "user", "route" or a function, got ${JSON.stringify(key)}.`);
}

/**
 * A request view plus its lazily resolved client. A class: an object literal with a getter closure per
 * request cost more than the store call itself (bench "memory limiter", limiter.check row).
 */
class LimitRequest implements RateLimitRequest {
  readonly method: string;
  readonly path: string;
  readonly routePath: string | undefined;
  readonly #view: RequestView;
  readonly #resolver: ClientIp;
  readonly #encrypted: boolean;
  #client: ClientInfo | undefined = undefined;

  constructor(view: RequestView, resolver: ClientIp, encrypted: boolean) {
    this.method = view.method;
    this.path = view.path;
    this.routePath = view.routePath;
    this.#view = view;
    this.#resolver = resolver;
    this.#encrypted = encrypted;
  }

  header(name: string): string | undefined {
    return this.#view.header(name);
  }

  // Read through: the fetch adapter's view learns the peer and makes the host's state only when asked.
  get peer(): string | undefined {
    return this.#view.peer;
  }

  get state(): object | undefined {
    return this.#view.state;
  }

  get client(): ClientInfo {
    this.#client ??= this.#resolver.resolve(this.#view, this.#encrypted);
    return this.#client;
  }
}

/** A limiter, and (for adapters) its check that answers synchronously when the store can. */
export interface CompiledRateLimiter {
  readonly limiter: RateLimiter;
  checkNow(view: RequestView, encrypted: boolean): RateLimitDecision | Promise<RateLimitDecision>;
}

/** Internal: {@link createRateLimiter} plus `checkNow` for the Express adapter. */
export function compileRateLimiter(options: RateLimiterOptions): CompiledRateLimiter {
  const { store } = options;
  if (typeof store?.consume !== 'function')
    invalidOption('store must be a RateLimitStore: memoryStore() or redisStore({ client }).');
  validatePolicies(options.policies);
  if (store.remote && options.whenStoreFails === undefined) {
    invalidOption(
      `The ${store.name} store can be unreachable: choose whenStoreFails: "open" (let requests through) or "closed" (answer 503).`,
    );
  }
  if (
    options.whenStoreFails !== undefined &&
    options.whenStoreFails !== 'open' &&
    options.whenStoreFails !== 'closed'
  ) {
    invalidOption(
      `whenStoreFails must be "open" or "closed", got ${JSON.stringify(options.whenStoreFails)}.`,
    );
  }
  const resolver =
    options.clientIp !== undefined && 'resolve' in options.clientIp
      ? (options.clientIp as ClientIp)
      : createClientIp(options.clientIp as ClientIpOptions | undefined);
  const defaultKey = options.key ?? 'ip';
  const compiled: CompiledPolicy[] = options.policies.map((policy) => ({
    policy,
    algorithm: policy.algorithm ?? 'sliding-window',
    storeKey: storeKeyFunction(policy.name, policy.key ?? defaultKey, options),
    header: policyItem(
      policy.name,
      policy.algorithm === 'token-bucket' ? (policy.burst ?? policy.limit) : policy.limit,
      policy.windowMs,
    ),
  }));
  const fullPolicyHeader = compiled.map((entry) => entry.header).join(', ');
  const sendHeaders = options.headers ?? true;
  const failOpen = (options.whenStoreFails ?? 'closed') === 'open';
  // express-rate-limit's most common support issue: behind a proxy with no trust configured, every
  // client has the proxy's address. Checked until it is seen once, only when keys use the IP.
  const trustsProxies =
    options.clientIp !== undefined &&
    ('resolve' in options.clientIp || (options.clientIp.proxies?.length ?? 0) > 0);
  let watchForProxy = !trustsProxies;
  const warn =
    options.onWarning ?? ((warning: SecurityError) => console.warn(`${warning.code}: ${warning.message}`));
  const looksProxied = (view: RequestView) => {
    if (view.header('x-forwarded-for') === undefined && view.header('forwarded') === undefined) return;
    watchForProxy = false;
    warn(
      new SecurityError(
        'ERR_SECURITY_PROXY_MISCONFIGURED',
        `A request from ${view.peer ?? 'an unknown peer'} carries X-Forwarded-For/Forwarded but no proxies are trusted, so the rate limiter counts the proxy, not the client: set clientIp: { proxies: [<your proxies' ranges>], header: 'x-forwarded-for' }.`,
      ),
    );
  };
  const needsClientIp = options.policies.some((policy) => {
    const key = policy.key ?? defaultKey;
    return key === 'ip' || key === 'user';
  });

  const collectRequests = (
    request: RateLimitRequest,
    applied: CompiledPolicy[],
    requests: ConsumeRequest[],
  ) => {
    for (const entry of compiled) {
      const key = entry.storeKey(request);
      if (key === undefined) continue;
      applied.push(entry);
      requests.push({
        key,
        algorithm: entry.algorithm,
        limit: entry.policy.limit,
        windowMs: entry.policy.windowMs,
        burst: entry.policy.burst,
        cost: entry.policy.cost?.(request),
      });
    }
  };

  /** The decision from the store's results: headers for every answer, the 429 when a policy denied. */
  const decide = (
    applied: readonly CompiledPolicy[],
    results: readonly ConsumeResult[],
  ): RateLimitDecision => {
    // Plain loops and one string per header: this runs on every request (bench "memory limiter").
    let retryMs = -1;
    let denied: string | undefined;
    let limitHeader = '';
    for (let index = 0; index < results.length; index++) {
      const result = results[index]!;
      const name = applied[index]!.policy.name;
      if (sendHeaders) limitHeader += (index === 0 ? '' : ', ') + limitItem(name, result);
      if (!result.allowed && result.retryAfterMs > retryMs) {
        retryMs = result.retryAfterMs;
        denied = name;
      }
    }
    const headers: Array<readonly [string, string]> = [];
    if (sendHeaders) {
      const policyHeader =
        applied.length === compiled.length
          ? fullPolicyHeader
          : applied.map((entry) => entry.header).join(', ');
      headers.push(['ratelimit-policy', policyHeader], ['ratelimit', limitHeader]);
    }
    if (denied === undefined) return { allowed: true, headers };
    const retryAfter = retryAfterSeconds(retryMs);
    headers.push(['retry-after', retryAfter]);
    return {
      allowed: false,
      headers,
      error: new SecurityHttpError(
        429,
        'TOO_MANY_REQUESTS',
        `Rate limit "${denied}" exceeded; retry after ${retryAfter} s.`,
        Object.fromEntries(headers),
      ),
    };
  };

  const storeFailed = (error: unknown): RateLimitDecision => {
    options.onStoreError?.(error);
    if (failOpen) return allowedEmpty;
    return {
      allowed: false,
      headers: [['retry-after', '1']],
      error: new SecurityHttpError(
        503,
        'RATE_LIMIT_UNAVAILABLE',
        'The rate limiter cannot reach its store; try again shortly.',
        {
          'retry-after': '1',
        },
      ),
    };
  };

  const sync = (store as MaybeSyncStore)[consumeNow];

  /**
   * The decision, synchronously when the store answers synchronously (the memory store): no promise
   * per request. Throws what a key, cost or skip function throws.
   */
  const checkNow = (
    view: RequestView,
    encrypted: boolean,
  ): RateLimitDecision | Promise<RateLimitDecision> => {
    if (options.skip?.(view)) return allowedEmpty;
    if (watchForProxy && needsClientIp) looksProxied(view);
    const request = new LimitRequest(view, resolver, encrypted);
    const applied: CompiledPolicy[] = [];
    const requests: ConsumeRequest[] = [];
    collectRequests(request, applied, requests);
    if (requests.length === 0) return allowedEmpty;
    if (sync !== undefined && store.consume === sync.consume) {
      let results: readonly ConsumeResult[];
      try {
        results = sync.now(requests);
      } catch (error) {
        return storeFailed(error);
      }
      return decide(applied, results);
    }
    let consumed: Promise<readonly ConsumeResult[]>;
    try {
      consumed = store.consume(requests);
    } catch (error) {
      return storeFailed(error);
    }
    return consumed.then((results) => decide(applied, results), storeFailed);
  };

  const limiter: RateLimiter = {
    needsClientIp,
    check(view, encrypted = false) {
      // A throwing key function still rejects rather than throwing at the caller.
      try {
        const decision = checkNow(view, encrypted);
        return decision instanceof Promise ? decision : Promise.resolve(decision);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async reset(key) {
      await store.reset(compiled.map((entry) => `${entry.policy.name}:${key}`));
    },
  };
  return { limiter, checkNow };
}

/**
 * Makes a rate limiter. Policy checks of one request go to the store in one atomic call; a request
 * denied by any policy is counted by none.
 *
 * @example
 * const limiter = createRateLimiter({
 *   store: memoryStore(),
 *   policies: [
 *     { name: 'burst', limit: 10, windowMs: 1_000, algorithm: 'token-bucket' },
 *     { name: 'default', limit: 100, windowMs: 60_000 },
 *   ],
 * });
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return compileRateLimiter(options).limiter;
}
