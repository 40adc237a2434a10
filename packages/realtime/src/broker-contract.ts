// The one contract every Broker passes (memory, Redis, yours): delivery, order per channel, unsubscribe,
// isolation of a throwing listener, close. You hand it your runner's describe/it/expect/afterEach (vitest
// or jest), so the package needs no test runner. Waits are bounded by the runner's timeout; no case
// measures time.
import type { Broker } from './broker.js';

/** The part of vitest (or jest) the suite calls: pass `{ describe, it, expect, afterEach }` from 'vitest'. */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it: ((name: string, body: () => Promise<void>) => void) & {
    skip(name: string, body: () => Promise<void>): void;
  };
  // biome-ignore lint/suspicious/noExplicitAny: the runner's own expect, whatever its matcher types.
  expect: (value: unknown, message?: string) => any;
  afterEach(body: () => Promise<void>): void;
}

/** How the suite makes brokers: each call an independent instance on the same transport. */
export interface BrokerContractHarness {
  create(): Broker | Promise<Broker>;
  /** Cases the driver cannot support, by title, with the reason (shown as the skip reason). */
  skip?: Record<string, string>;
}

/** Collects messages and resolves when `count` have arrived. */
function collector() {
  const received: string[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  const listener = (message: string) => {
    received.push(message);
    if (waiter && received.length >= waiter.count) waiter.resolve();
  };
  const until = (count: number) =>
    received.length >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          waiter = { count, resolve };
        });
  return { received, listener, until };
}

/**
 * Registers the contract cases for one Broker driver (run it inside a vitest file).
 *
 * @example
 * import { afterEach, describe, expect, it } from 'vitest';
 * runBrokerContract({ describe, it, expect, afterEach }, 'redis', {
 *   create: () => redisBroker({ client, prefix: 'test:' }),
 * });
 */
export function runBrokerContract(api: TestApi, name: string, harness: BrokerContractHarness): void {
  const { afterEach, describe, expect, it } = api;
  describe(`Broker contract: ${name}`, () => {
    const brokers: Broker[] = [];
    let counter = 0;
    const make = async () => {
      const broker = await harness.create();
      brokers.push(broker);
      return broker;
    };
    const channel = () => `contract-${process.pid}-${Date.now()}-${counter++}`;
    afterEach(async () => {
      await Promise.all(brokers.splice(0).map((broker) => broker.close()));
    });
    const test = (title: string, body: () => Promise<void>) =>
      harness.skip?.[title] === undefined
        ? it(title, body)
        : it.skip(`${title} (${harness.skip[title]})`, body);

    test('delivers a message to a subscriber of its channel and to no other channel', async () => {
      const broker = await make();
      const [a, b] = [channel(), channel()];
      const onA = collector();
      const onB = collector();
      await broker.subscribe(a, onA.listener);
      await broker.subscribe(b, onB.listener);
      await broker.publish(a, 'to a');
      await broker.publish(b, 'to b');
      await Promise.all([onA.until(1), onB.until(1)]);
      expect(onA.received).toEqual(['to a']);
      expect(onB.received).toEqual(['to b']);
    });

    test('keeps the publish order of one publisher on one channel', async () => {
      const broker = await make();
      const name = channel();
      const sink = collector();
      await broker.subscribe(name, sink.listener);
      const sent = Array.from({ length: 200 }, (_, index) => `m${index}`);
      await Promise.all(sent.map((message) => broker.publish(name, message)));
      await sink.until(sent.length);
      expect(sink.received).toEqual(sent);
    });

    test('passes the channel name to the listener and round-trips any string', async () => {
      const broker = await make();
      const name = channel();
      const seen: Array<[string, string]> = [];
      let done!: () => void;
      const arrived = new Promise<void>((resolve) => {
        done = resolve;
      });
      await broker.subscribe(name, (message, from) => {
        seen.push([message, from]);
        done();
      });
      const text = 'é ✓ 🎉 "quoted" \n\r\u0000 {"json":true}';
      await broker.publish(name, text);
      await arrived;
      expect(seen).toEqual([[text, name]]);
    });

    test('calls each of several listeners once per message, the same function twice too', async () => {
      const broker = await make();
      const name = channel();
      const sink = collector();
      const other = collector();
      await broker.subscribe(name, sink.listener);
      await broker.subscribe(name, sink.listener);
      await broker.subscribe(name, other.listener);
      await broker.publish(name, 'x');
      await Promise.all([sink.until(2), other.until(1)]);
      await broker.publish(name, 'end');
      await other.until(2);
      await sink.until(4);
      expect(sink.received).toEqual(['x', 'x', 'end', 'end']);
    });

    test('stops calling a listener once its unsubscribe resolved, and keeps the others', async () => {
      const broker = await make();
      const name = channel();
      const gone = collector();
      const kept = collector();
      const stop = await broker.subscribe(name, gone.listener);
      await broker.subscribe(name, kept.listener);
      await broker.publish(name, 'one');
      await Promise.all([gone.until(1), kept.until(1)]);
      await stop();
      await broker.publish(name, 'two');
      await kept.until(2);
      expect(gone.received).toEqual(['one']);
      expect(kept.received).toEqual(['one', 'two']);
    });

    test('resubscribes a channel after its last listener left', async () => {
      const broker = await make();
      const name = channel();
      const first = collector();
      const stop = await broker.subscribe(name, first.listener);
      await stop();
      const second = collector();
      await broker.subscribe(name, second.listener);
      await broker.publish(name, 'again');
      await second.until(1);
      expect(second.received).toEqual(['again']);
      expect(first.received).toEqual([]);
    });

    test('does not store messages: one published before subscribing is never delivered', async () => {
      const broker = await make();
      const name = channel();
      await broker.publish(name, 'too early');
      const sink = collector();
      await broker.subscribe(name, sink.listener);
      await broker.publish(name, 'in time');
      await sink.until(1);
      expect(sink.received).toEqual(['in time']);
    });

    test('keeps delivering to the other listeners when one throws', async () => {
      const errors: unknown[] = [];
      const broker = await make();
      const name = channel();
      const original = console.error;
      console.error = (...args: unknown[]) => errors.push(args);
      try {
        await broker.subscribe(name, () => {
          throw new Error('listener bug');
        });
        const sink = collector();
        await broker.subscribe(name, sink.listener);
        await broker.publish(name, 'still here');
        await broker.publish(name, 'and here');
        await sink.until(2);
        expect(sink.received).toEqual(['still here', 'and here']);
      } finally {
        console.error = original;
      }
    });

    test('delivers a message published on one instance to a subscriber on another', async () => {
      const a = await make();
      const b = await make();
      const name = channel();
      const sink = collector();
      await b.subscribe(name, sink.listener);
      await a.publish(name, 'from a');
      await sink.until(1);
      expect(sink.received).toEqual(['from a']);
    });

    test('rejects publish and subscribe with ERR_REALTIME_CLOSED after close, and closes twice', async () => {
      const broker = await make();
      await broker.close();
      await broker.close();
      await expect(broker.publish(channel(), 'x')).rejects.toMatchObject({ code: 'ERR_REALTIME_CLOSED' });
      await expect(broker.subscribe(channel(), () => undefined)).rejects.toMatchObject({
        code: 'ERR_REALTIME_CLOSED',
      });
    });

    test('refuses an empty channel name with ERR_REALTIME_INVALID_CHANNEL', async () => {
      const broker = await make();
      await expect(broker.publish('', 'x')).rejects.toMatchObject({ code: 'ERR_REALTIME_INVALID_CHANNEL' });
    });
  });
}
