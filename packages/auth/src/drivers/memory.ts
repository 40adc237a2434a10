// The in-process TokenStore: one Node process, lost on restart. For tests, development and single-instance apps.
import type { ConsumeResult, RefreshRecord, TokenStore } from '../store.js';

interface Entry {
  record: RefreshRecord;
  used: boolean;
}

/** Options of `memoryTokenStore`. */
export interface MemoryTokenStoreOptions {
  /** Sweep expired tokens every this many saves. Default 1000. */
  sweepEvery?: number;
}

/**
 * A TokenStore in memory.
 *
 * @example
 * const refresh = createRefreshTokens({ store: memoryTokenStore() });
 */
export function memoryTokenStore(options: MemoryTokenStoreOptions = {}): TokenStore {
  const tokens = new Map<string, Entry>();
  const families = new Map<string, Set<string>>();
  const users = new Map<string, Set<string>>();
  const sweepEvery = options.sweepEvery ?? 1000;
  let saves = 0;

  const add = (index: Map<string, Set<string>>, key: string, value: string) => {
    let set = index.get(key);
    if (set === undefined) {
      set = new Set();
      index.set(key, set);
    }
    set.add(value);
  };
  const revokeFamily = (family: string) => {
    for (const hash of families.get(family) ?? []) tokens.delete(hash);
    families.delete(family);
  };
  const sweep = (now: number) => {
    for (const [hash, entry] of tokens) if (entry.record.expiresAt <= now) tokens.delete(hash);
  };

  return {
    name: 'memory',
    async save(hash, record) {
      tokens.set(hash, { record: { ...record }, used: false });
      add(families, record.family, hash);
      add(users, record.userId, record.family);
      if (++saves % sweepEvery === 0) sweep(Date.now());
    },
    async consume(hash, now): Promise<ConsumeResult | undefined> {
      const entry = tokens.get(hash);
      if (entry === undefined || entry.record.expiresAt <= now) return undefined;
      const status = entry.used ? 'reused' : 'active';
      entry.used = true;
      return { status, record: entry.record };
    },
    async revokeFamily(family) {
      revokeFamily(family);
    },
    async revokeUser(userId) {
      for (const family of users.get(userId) ?? []) revokeFamily(family);
      users.delete(userId);
    },
    async close() {
      tokens.clear();
      families.clear();
      users.clear();
    },
  };
}
