// Bounded waits for many concurrent calls with one timer: each call is checked by a sweep every fifth
// of the timeout instead of arming its own setTimeout (bench "Redis limiter": a timer per check cost
// more than the rest of the client side). A call fails between 1× and 1.2× the timeout.

interface Pending {
  readonly at: number;
  readonly reject: (error: unknown) => void;
}

/** Races promises against one shared timeout. */
export interface Deadlines {
  run<T>(promise: Promise<T>): Promise<T>;
  /** Stops the sweep (pending calls keep their own outcome). */
  close(): void;
}

/** Makes the deadline tracker; `timeoutError()` is the rejection of a call that ran out of time. */
export function createDeadlines(timeoutMs: number, timeoutError: () => Error): Deadlines {
  const pending = new Set<Pending>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const sweep = () => {
    const now = performance.now();
    for (const entry of pending) {
      if (entry.at <= now) {
        pending.delete(entry);
        entry.reject(timeoutError());
      }
    }
    if (pending.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return {
    run(promise) {
      return new Promise((resolve, reject) => {
        const entry: Pending = { at: performance.now() + timeoutMs, reject };
        pending.add(entry);
        if (timer === undefined) {
          timer = setInterval(sweep, Math.max(5, timeoutMs / 5));
          timer.unref?.();
        }
        promise.then(
          (value) => {
            pending.delete(entry);
            resolve(value);
          },
          (error: unknown) => {
            pending.delete(entry);
            reject(error);
          },
        );
      });
    },
    close() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
