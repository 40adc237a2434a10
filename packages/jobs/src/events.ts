// The events a worker emits, typed, with a listener list per event (no EventEmitter: no 'error' throw).
import type { ClaimedJob, JobRecord } from './driver.js';

/** Each event with its argument. */
export interface WorkerEvents {
  /** A job started on this worker. */
  active: { job: ClaimedJob };
  /** A job finished; `result` is what its handler returned. */
  completed: { job: ClaimedJob; result: unknown };
  /** A job failed and will run again at `retryAt`. */
  retried: { job: ClaimedJob; error: unknown; retryAt: number };
  /** A job failed for good and is now in the dead letters. */
  failed: { job: ClaimedJob | JobRecord; error: unknown };
  /** The lease of a job expired (its worker died or hung); it was handed back or sent to the dead letters. */
  stalled: { id: string };
  /** The driver failed (e.g. Redis went away); the worker keeps trying. */
  error: { error: unknown };
}

/** A typed listener list. */
export class Emitter<Events> {
  readonly #listeners = new Map<keyof Events, Set<(event: never) => void>>();

  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof Events>(event: E, listener: (value: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  /** Whether the event has listeners: an emit without any need not build its argument. */
  has(event: keyof Events): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  /** Calls the listeners; a throwing listener does not stop the others or the worker. */
  emit<E extends keyof Events>(event: E, value: Events[E]): void {
    const listeners = this.#listeners.get(event);
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        (listener as (event: Events[E]) => void)(value);
      } catch {
        // A listener's bug must not fail a job that succeeded.
      }
    }
  }
}
