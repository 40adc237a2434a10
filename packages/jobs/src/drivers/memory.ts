// The in-process QueueDriver: the embedded default, one process, nothing to install. Every method runs
// synchronously inside one microtask, which is what makes each one atomic here.
import { randomUUID } from 'node:crypto';
import type {
  AddResult,
  ClaimedJob,
  ClaimOptions,
  Completion,
  FailOutcome,
  JobCounts,
  JobKey,
  JobRecord,
  JobState,
  NewJob,
  QueueDriver,
} from '../driver.js';

/** Options of {@link memoryDriver}. */
export interface MemoryDriverOptions {
  /** A clock in ms, for tests (default `Date.now`). */
  now?: () => number;
}

type Stored = { -readonly [K in keyof JobRecord]: JobRecord[K] };

interface Slot {
  job: Stored;
  seq: number;
  token?: string | undefined;
  leaseUntil: number;
}

class MemoryQueue {
  readonly slots = new Map<string, Slot>();
  /** `<mode>:<key>` → the job holding it (and, for throttle, until when). */
  readonly keys = new Map<string, { id: string; until: number }>();
  readonly listeners = new Set<() => void>();
  /** group → claims in the current rate window. */
  readonly rates = new Map<string, { window: number; count: number }>();
  seq = 0;
}

function copy(slot: Slot): JobRecord {
  return structuredClone(slot.job);
}

function due(a: Slot, b: Slot): number {
  return b.job.priority - a.job.priority || a.job.runAt - b.job.runAt || a.seq - b.seq;
}

// Per-group fairness: the concurrency and rate limits of one claim; counts the claim when admitted.
function admitted(
  target: MemoryQueue,
  group: string,
  claim: ClaimOptions,
  activeByGroup: Map<string, number>,
  now: number,
): boolean {
  const active = activeByGroup.get(group) ?? 0;
  if (claim.groupConcurrency !== undefined && active >= claim.groupConcurrency) return false;
  if (claim.groupRate) {
    const window = Math.floor(now / claim.groupRate.windowMs);
    const rate = target.rates.get(group);
    const used = rate?.window === window ? rate.count : 0;
    if (used >= claim.groupRate.limit) return false;
    target.rates.set(group, { window, count: used + 1 });
  }
  activeByGroup.set(group, active + 1);
  return true;
}

/**
 * The memory driver: jobs live in this process and die with it.
 *
 * @example
 * const queue = createQueue({ driver: memoryDriver() });
 */
export function memoryDriver(options: MemoryDriverOptions = {}): QueueDriver {
  const clock = options.now ?? Date.now;
  const queues = new Map<string, MemoryQueue>();
  const queueOf = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new MemoryQueue();
      queues.set(name, queue);
    }
    return queue;
  };
  const held = (queue: string, id: string, token: string) => {
    const slot = queueOf(queue).slots.get(id);
    return slot && slot.job.state === 'active' && slot.token === token ? slot : undefined;
  };
  const backToWaiting = (slot: Slot, runAt: number) => {
    slot.job.state = 'waiting';
    slot.job.runAt = runAt;
    slot.token = undefined;
    slot.leaseUntil = 0;
  };

  // The key state machine (README, "Deduplication, debounce and throttle"): the holder of a key is read
  // lazily, so no state change elsewhere has to release it.
  const keyed = (target: MemoryQueue, key: JobKey, job: NewJob, now: number): AddResult | 'add' => {
    const field = `${key.mode}:${key.value}`;
    const holder = target.keys.get(field);
    const slot = holder && target.slots.get(holder.id);
    if (key.mode === 'throttle') {
      if (holder && now < holder.until) return { id: holder.id, added: false };
    } else if (key.mode === 'dedupe') {
      if (slot && (slot.job.state === 'waiting' || slot.job.state === 'active'))
        return { id: slot.job.id, added: false };
    } else if (slot && slot.job.state === 'waiting' && slot.job.attempts === 0) {
      slot.job.payload = structuredClone(job.payload);
      slot.job.runAt = now + key.windowMs;
      return { id: slot.job.id, added: false };
    }
    target.keys.set(field, { id: job.id, until: now + key.windowMs });
    return 'add';
  };

  const completeNow = (queue: string, { id, token, result, remove }: Completion) => {
    const slot = held(queue, id, token);
    if (!slot) return false;
    if (remove) {
      queueOf(queue).slots.delete(id);
      return true;
    }
    slot.job.state = 'completed';
    slot.job.result = structuredClone(result);
    slot.job.finishedAt = clock();
    slot.job.error = undefined;
    slot.token = undefined;
    return true;
  };

  const driver: QueueDriver = {
    name: 'memory',
    async add(queue: string, jobs: readonly NewJob[]) {
      const target = queueOf(queue);
      const now = clock();
      const added = jobs.map((job): AddResult => {
        if (target.slots.has(job.id)) return { id: job.id, added: false };
        const outcome = job.key ? keyed(target, job.key, job, now) : 'add';
        if (outcome !== 'add') return outcome;
        target.slots.set(job.id, {
          seq: target.seq++,
          leaseUntil: 0,
          job: {
            id: job.id,
            queue,
            name: job.name,
            payload: structuredClone(job.payload),
            state: 'waiting',
            priority: job.priority,
            attempts: 0,
            maxAttempts: job.maxAttempts,
            runAt: job.key?.mode === 'debounce' ? now + job.key.windowMs : (job.runAt ?? now),
            createdAt: now,
            group: job.group,
          },
        });
        return { id: job.id, added: true };
      });
      if (added.some((result) => result.added)) for (const listener of target.listeners) listener();
      return added;
    },
    async claim(queue: string, claim: ClaimOptions) {
      const target = queueOf(queue);
      const now = clock();
      const ready = [...target.slots.values()].filter(
        (slot) => slot.job.state === 'waiting' && slot.job.runAt <= now,
      );
      ready.sort(due);
      const activeByGroup = new Map<string, number>();
      if (claim.groupConcurrency !== undefined || claim.groupRate) {
        for (const slot of target.slots.values()) {
          if (slot.job.state === 'active' && slot.job.group !== undefined)
            activeByGroup.set(slot.job.group, (activeByGroup.get(slot.job.group) ?? 0) + 1);
        }
      }
      const claimed: ClaimedJob[] = [];
      for (const slot of ready) {
        if (claimed.length >= claim.limit) break;
        const group = slot.job.group;
        if (group !== undefined && !admitted(target, group, claim, activeByGroup, now)) continue;
        slot.job.state = 'active';
        slot.job.attempts++;
        slot.job.startedAt = now;
        slot.token = randomUUID();
        slot.leaseUntil = now + claim.leaseMs;
        claimed.push({ ...copy(slot), token: slot.token, leaseUntil: slot.leaseUntil });
      }
      return claimed;
    },
    async extend(queue, leases, leaseMs) {
      const now = clock();
      const kept: string[] = [];
      for (const lease of leases) {
        const slot = held(queue, lease.id, lease.token);
        if (!slot) continue;
        slot.leaseUntil = now + leaseMs;
        kept.push(lease.id);
      }
      return kept;
    },
    async completeAndClaim(queue, completions, claim) {
      // Synchronous from here to the claim, so the pair is atomic like every other call.
      const completed = completions.map((completion) => completeNow(queue, completion));
      return { completed, jobs: await driver.claim(queue, claim) };
    },
    async complete(queue, id, token, result, options) {
      return completeNow(queue, { id, token, result, remove: options?.remove });
    },
    async prune(queue, state, keep) {
      const target = queueOf(queue);
      const now = clock();
      const finished = [...target.slots.values()]
        .filter((slot) => slot.job.state === state)
        .sort((a, b) => (b.job.finishedAt ?? 0) - (a.job.finishedAt ?? 0) || b.seq - a.seq);
      let removed = 0;
      for (const [index, slot] of finished.entries()) {
        const tooMany = keep.count !== undefined && index >= keep.count;
        const tooOld = keep.age !== undefined && (slot.job.finishedAt ?? 0) <= now - keep.age;
        if (!tooMany && !tooOld) continue;
        target.slots.delete(slot.job.id);
        removed++;
      }
      return removed;
    },
    async fail(queue, id, token, failure): Promise<FailOutcome> {
      const slot = held(queue, id, token);
      if (!slot) return 'lost';
      slot.job.error = failure.error;
      if (failure.retryAt !== undefined && slot.job.attempts < slot.job.maxAttempts) {
        backToWaiting(slot, failure.retryAt);
        for (const listener of queueOf(queue).listeners) listener();
        return 'retried';
      }
      slot.job.state = 'dead';
      slot.job.finishedAt = clock();
      slot.token = undefined;
      return 'dead';
    },
    async release(queue, id, token) {
      const slot = held(queue, id, token);
      if (!slot) return false;
      slot.job.attempts--;
      backToWaiting(slot, clock());
      for (const listener of queueOf(queue).listeners) listener();
      return true;
    },
    async progress(queue, id, token, value) {
      const slot = held(queue, id, token);
      if (!slot) return false;
      slot.job.progress = structuredClone(value);
      return true;
    },
    async recover(queue) {
      const now = clock();
      const stalled: string[] = [];
      for (const slot of queueOf(queue).slots.values()) {
        if (slot.job.state !== 'active' || slot.leaseUntil > now) continue;
        stalled.push(slot.job.id);
        slot.job.error = 'stalled: the lease expired before the job finished';
        if (slot.job.attempts < slot.job.maxAttempts) backToWaiting(slot, now);
        else {
          slot.job.state = 'dead';
          slot.job.finishedAt = now;
          slot.token = undefined;
        }
      }
      return stalled;
    },
    async get(queue, id) {
      const slot = queueOf(queue).slots.get(id);
      return slot ? copy(slot) : undefined;
    },
    async list(queue, state: JobState | 'delayed', paging = {}) {
      const now = clock();
      const matches = [...queueOf(queue).slots.values()].filter((slot) => {
        if (state === 'delayed') return slot.job.state === 'waiting' && slot.job.runAt > now;
        if (state === 'waiting') return slot.job.state === 'waiting' && slot.job.runAt <= now;
        return slot.job.state === state;
      });
      if (state === 'waiting') matches.sort(due);
      const offset = paging.offset ?? 0;
      return matches.slice(offset, offset + (paging.limit ?? 100)).map(copy);
    },
    async redrive(queue, id) {
      const slot = queueOf(queue).slots.get(id);
      if (slot?.job.state !== 'dead') return false;
      slot.job.attempts = 0;
      slot.job.finishedAt = undefined;
      backToWaiting(slot, clock());
      for (const listener of queueOf(queue).listeners) listener();
      return true;
    },
    async remove(queue, id) {
      const target = queueOf(queue);
      const slot = target.slots.get(id);
      if (!slot || slot.job.state === 'active') return false;
      target.slots.delete(id);
      return true;
    },
    async counts(queue): Promise<JobCounts> {
      const now = clock();
      const counts = { waiting: 0, delayed: 0, active: 0, completed: 0, dead: 0, latency: 0 };
      for (const slot of queueOf(queue).slots.values()) {
        if (slot.job.state === 'waiting') {
          if (slot.job.runAt > now) counts.delayed++;
          else {
            counts.waiting++;
            counts.latency = Math.max(counts.latency, now - slot.job.runAt);
          }
        } else counts[slot.job.state]++;
      }
      return counts;
    },
    async now() {
      return clock();
    },
    async subscribe(queue, onJob) {
      const listeners = queueOf(queue).listeners;
      const listener = () => queueMicrotask(onJob);
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
      };
    },
    async close() {
      for (const queue of queues.values()) queue.listeners.clear();
    },
  };
  return driver;
}
