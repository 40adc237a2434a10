// One level of an ambient transaction: the top-level transaction or one savepoint inside it, with
// the domain events and after-commit hooks recorded at that level. A savepoint's records join its
// parent's when it is released and vanish when it rolls back, so only committed work is announced.

/** A fact the domain records while it changes state: `{ type: 'order.placed', payload: {...} }`. */
export interface DomainEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly payload: Payload;
}

/** Work to run once the top-level transaction has committed. */
export type AfterCommitHook = () => unknown;

/** A transaction level, kept in AsyncLocalStorage while its function runs. */
export interface Level<Handle> {
  readonly handle: Handle;
  readonly parent: Level<Handle> | undefined;
  readonly events: DomainEvent[];
  readonly hooks: AfterCommitHook[];
  /** Set when a joined call failed: this level may no longer commit (its work is incomplete). */
  rollbackCause?: { error: unknown };
  /** False once its transaction or savepoint ended: a callback that outlived it runs outside it. */
  open: boolean;
}

/** A fresh level over `handle`. */
export function openLevel<Handle>(handle: Handle, parent?: Level<Handle>): Level<Handle> {
  return { handle, parent, events: [], hooks: [], open: true };
}

/** A released savepoint hands its records to the level it was opened in. */
export function mergeIntoParent<Handle>(level: Level<Handle>): void {
  if (level.parent === undefined) return;
  level.parent.events.push(...level.events);
  level.parent.hooks.push(...level.hooks);
}
