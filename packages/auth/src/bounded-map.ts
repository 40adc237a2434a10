// A Map of at most `max` entries in two generations: when the young one holds max / 2 it becomes the
// old one and the previous old one is dropped whole. Evicting one entry at a time from the front of a
// Map (`keys().next()`) walks every deleted slot V8 keeps there until it rehashes, and a WeakMap of
// many entries makes every scavenge walk its ephemerons: each cost more than jose's own verify work
// on a first-seen token (bench/index.ts "token seen for the first time").

/** Internal: a bounded map; recently set entries survive at least max / 2 later sets. */
export class BoundedMap<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly #half: number;

  constructor(max: number) {
    this.#half = Math.max(1, Math.floor(max / 2));
  }

  get(key: K): V | undefined {
    return this.#young.get(key) ?? this.#old.get(key);
  }

  set(key: K, value: V): void {
    if (this.#young.size >= this.#half && !this.#young.has(key)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#old.delete(key);
    this.#young.set(key, value);
  }

  delete(key: K): void {
    this.#young.delete(key);
    this.#old.delete(key);
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}
