// Presence per channel: who is here, with join/leave events on the Broker. Each instance refreshes
// its own members' TTL; when an instance dies, its members expire and a surviving instance announces
// their leave. No extra server: the store is memory or a Redis sorted set.
import { randomBytes } from 'node:crypto';
import type { Broker } from './broker.js';
import { assertChannel, assertNumber, RealtimeError } from './errors.js';

/**
 * Where presence entries live. An entry is (channel, member, instance) with an expiry time.
 * Contract: `remove` and `expire` report only entries they removed themselves (so exactly one instance
 * announces a leave), and `members` lists each member once, whatever its instances.
 */
export interface PresenceStore {
  readonly name: string;
  /** Adds or refreshes entries; resolves with the members that were absent from the channel before. */
  add(
    channel: string,
    entries: Array<{ member: string; instance: string }>,
    expiresAt: number,
  ): Promise<string[]>;
  /** Removes one entry; resolves true when it was there. */
  remove(channel: string, member: string, instance: string): Promise<boolean>;
  /** Removes entries expired at `now`; resolves with their members. */
  expire(channel: string, now: number): Promise<string[]>;
  /** The members present at `now`. */
  members(channel: string, now: number): Promise<string[]>;
  /** The channels that have entries. */
  channels(): Promise<string[]>;
  close(): Promise<void>;
}

/** A join or leave on a channel. */
export interface PresenceEvent {
  type: 'join' | 'leave';
  channel: string;
  member: string;
}

/** Options of {@link createPresence}. */
export interface PresenceOptions {
  /** Carries join/leave events to every instance. */
  broker: Broker;
  /** Holds the entries: memoryPresenceStore() or redisPresenceStore(). */
  store: PresenceStore;
  /** How long an entry lives without a heartbeat. Default 30000. */
  ttlMs?: number;
  /** Refresh and sweep interval; 0 disables the timer (call `heartbeat()` yourself). Default ttlMs / 3. */
  heartbeatMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

/** Presence of members per channel across instances. */
export interface Presence {
  /** Marks `member` present on `channel` from this instance; announces a join when it is new there. */
  join(channel: string, member: string): Promise<void>;
  /** Marks `member` gone from this instance; announces a leave when no instance has it any more. */
  leave(channel: string, member: string): Promise<void>;
  /** The members present on `channel`. */
  members(channel: string): Promise<string[]>;
  /** Calls `listener` with each join and leave on `channel`; resolves with its unsubscribe function. */
  subscribe(channel: string, listener: (event: PresenceEvent) => void): Promise<() => Promise<void>>;
  /** Refreshes this instance's entries and announces the leave of expired ones (the timer calls it). */
  heartbeat(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates presence over a Broker and a store.
 *
 * @example
 * const presence = createPresence({ broker, store: redisPresenceStore({ client }) });
 * await presence.join('team:7', user.id);
 */
export function createPresence(options: PresenceOptions): Presence {
  if (!options?.broker || !options.store) {
    throw new RealtimeError('ERR_REALTIME_INVALID_OPTION', 'createPresence needs { broker, store }.');
  }
  const { broker, store } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.floor(ttlMs / 3);
  assertNumber('ttlMs', ttlMs, 1);
  assertNumber('heartbeatMs', heartbeatMs);
  const now = options.now ?? Date.now;
  const instance = randomBytes(6).toString('base64url');
  // member -> local join count, per channel: several connections of one user are one entry.
  const local = new Map<string, Map<string, number>>();
  const announce = (event: PresenceEvent) =>
    broker.publish(`presence:${event.channel}`, JSON.stringify(event));

  const heartbeat = async () => {
    for (const [channel, members] of local) {
      const entries = [...members.keys()].map((member) => ({ member, instance }));
      if (entries.length > 0) await store.add(channel, entries, now() + ttlMs);
    }
    for (const channel of await store.channels()) {
      for (const member of await store.expire(channel, now())) {
        if (!(await store.members(channel, now())).includes(member))
          await announce({ type: 'leave', channel, member });
      }
    }
  };
  const timer =
    heartbeatMs > 0
      ? setInterval(() => void heartbeat().catch(() => undefined), heartbeatMs).unref()
      : undefined;

  return {
    async join(channel, member) {
      assertChannel(channel);
      let members = local.get(channel);
      if (!members) {
        members = new Map();
        local.set(channel, members);
      }
      members.set(member, (members.get(member) ?? 0) + 1);
      const added = await store.add(channel, [{ member, instance }], now() + ttlMs);
      if (added.includes(member)) await announce({ type: 'join', channel, member });
    },
    async leave(channel, member) {
      const members = local.get(channel);
      const count = members?.get(member) ?? 0;
      if (!members || count === 0) return;
      if (count > 1) {
        members.set(member, count - 1);
        return;
      }
      members.delete(member);
      if (members.size === 0) local.delete(channel);
      if (!(await store.remove(channel, member, instance))) return;
      if (!(await store.members(channel, now())).includes(member))
        await announce({ type: 'leave', channel, member });
    },
    members(channel) {
      return store.members(channel, now());
    },
    subscribe(channel, listener) {
      return broker.subscribe(`presence:${channel}`, (message) =>
        listener(JSON.parse(message) as PresenceEvent),
      );
    },
    heartbeat,
    async close() {
      if (timer) clearInterval(timer);
      const entries = [...local].flatMap(([channel, members]) =>
        [...members.keys()].map((member) => ({ channel, member })),
      );
      local.clear();
      for (const { channel, member } of entries) {
        if (await store.remove(channel, member, instance).catch(() => false)) {
          if (!(await store.members(channel, now())).includes(member))
            await announce({ type: 'leave', channel, member }).catch(() => undefined);
        }
      }
    },
  };
}
