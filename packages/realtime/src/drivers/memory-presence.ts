// The in-process presence store (one instance): entries with expiry times in a map per channel.
import type { PresenceStore } from '../presence.js';

const key = (member: string, instance: string) => `${instance}\n${member}`;
const memberOf = (entry: string) => entry.slice(entry.indexOf('\n') + 1);

/** A presence store in memory. */
export function memoryPresenceStore(): PresenceStore {
  const channels = new Map<string, Map<string, number>>();
  const present = (entries: Map<string, number> | undefined, now: number) =>
    new Set(
      [...(entries ?? [])].filter(([, expiresAt]) => expiresAt > now).map(([entry]) => memberOf(entry)),
    );
  return {
    name: 'memory',
    async add(channel, entries, expiresAt) {
      let map = channels.get(channel);
      if (!map) {
        map = new Map();
        channels.set(channel, map);
      }
      const before = present(map, Date.now() - Number.MAX_SAFE_INTEGER);
      for (const entry of entries) map.set(key(entry.member, entry.instance), expiresAt);
      return [...new Set(entries.map((entry) => entry.member))].filter((member) => !before.has(member));
    },
    async remove(channel, member, instance) {
      return channels.get(channel)?.delete(key(member, instance)) ?? false;
    },
    async expire(channel, now) {
      const map = channels.get(channel);
      if (!map) return [];
      const gone: string[] = [];
      for (const [entry, expiresAt] of map) {
        if (expiresAt <= now) {
          map.delete(entry);
          gone.push(memberOf(entry));
        }
      }
      if (map.size === 0) channels.delete(channel);
      return gone;
    },
    async members(channel, now) {
      return [...present(channels.get(channel), now)].sort();
    },
    async channels() {
      return [...channels.keys()];
    },
    async close() {
      channels.clear();
    },
  };
}
