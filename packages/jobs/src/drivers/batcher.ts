// Coalesces calls made in the same turn of the event loop into one round trip per queue: a worker
// with 50 jobs finishing at once completes them in one statement or script, not 50. At most one
// round trip per queue is in flight; calls made meanwhile go in the next one. (bench/index.ts,
// "process 20000 no-op jobs": one PostgreSQL commit per job was the ceiling without it.)

/** Returns `call(queue, item)`, resolved with the item's own answer from a batched `run`. */
export function createBatcher<Item, Answer>(
  run: (queue: string, items: Item[]) => Promise<Answer[]>,
): (queue: string, item: Item) => Promise<Answer> {
  interface Pending {
    item: Item;
    resolve: (answer: Answer) => void;
    reject: (error: unknown) => void;
  }
  const waiting = new Map<string, Pending[]>();
  const busy = new Set<string>();

  const flush = (queue: string) => {
    const batch = waiting.get(queue);
    if (!batch || batch.length === 0 || busy.has(queue)) return;
    waiting.delete(queue);
    busy.add(queue);
    run(
      queue,
      batch.map((entry) => entry.item),
    )
      .then(
        (answers) => {
          for (const [index, entry] of batch.entries()) entry.resolve(answers[index]!);
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        busy.delete(queue);
        flush(queue);
      });
  };

  return (queue, item) =>
    new Promise<Answer>((resolve, reject) => {
      let batch = waiting.get(queue);
      if (!batch) {
        batch = [];
        waiting.set(queue, batch);
        setImmediate(() => flush(queue));
      }
      batch.push({ item, resolve, reject });
    });
}
