// The in-process subscribers of committed domain events. Dispatch runs after the commit, in order,
// one handler at a time; a handler that throws is reported and the others still run, since the
// transaction has committed and cannot be undone.
import { ServicesError } from './errors.js';
import type { AfterCommitHook, DomainEvent } from './unit-of-work.js';

/** A subscriber of committed domain events. */
export type EventHandler<E extends DomainEvent = DomainEvent> = (event: E) => unknown;

/** Subscribers by event type, and the after-commit dispatch. */
export interface EventBus {
  subscribe(type: string, handler: EventHandler): () => void;
  dispatch(events: readonly DomainEvent[], hooks: readonly AfterCommitHook[]): Promise<void>;
}

const report = (error: ServicesError) => console.error(error);

/** A bus reporting handler failures to `onError`. */
export function createEventBus(onError: (error: ServicesError) => void = report): EventBus {
  const handlers = new Map<string, Set<EventHandler>>();

  async function call(run: () => unknown, what: string) {
    try {
      await run();
    } catch (cause) {
      onError(
        new ServicesError(
          'ERR_SERVICES_EVENT_HANDLER',
          `${what} threw after the commit (the transaction stands); make it idempotent and retry it, or move it to the outbox for retries.`,
          { cause },
        ),
      );
    }
  }

  return {
    subscribe(type, handler) {
      const set = handlers.get(type) ?? new Set();
      handlers.set(type, set);
      set.add(handler);
      return () => set.delete(handler);
    },
    async dispatch(events, hooks) {
      for (const event of events) {
        for (const handler of [...(handlers.get(event.type) ?? []), ...(handlers.get('*') ?? [])]) {
          await call(() => handler(event), `A handler of "${event.type}"`);
        }
      }
      for (const hook of hooks) await call(hook, 'An afterCommit hook');
    },
  };
}
