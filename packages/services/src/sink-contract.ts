// The contract suite of an EventSink (event-sink.ts): what the outbox relay relies on when it hands
// a message over. Run it against your sink (a job queue, a broker) and against a test double, so
// the double cannot drift from the real one.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { EventSink, OutboxMessage } from './event-sink.js';
import type { ContractTestApi } from './runner-contract.js';

/** A sink under test with a way to see what reached the other side. */
export interface SinkFixture {
  sink: EventSink;
  /** The messages the transport received so far (after `send` resolved), in any order. */
  received(): Promise<ReadonlyArray<Pick<OutboxMessage, 'id' | 'type' | 'payload' | 'headers'>>>;
}

let messages = 0;

function message(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  messages++;
  const id = `00000000-0000-4000-8000-${String(messages).padStart(12, '0')}`;
  return {
    id,
    type: 'contract.checked',
    payload: { n: messages },
    headers: {},
    createdAt: new Date(),
    attempt: 1,
    ...overrides,
  };
}

const live = () => new AbortController().signal;

async function find(fixture: SinkFixture, id: string) {
  return (await fixture.received()).filter((received) => received.id === id);
}

const cases: Array<{ name: string; run(fixture: SinkFixture): Promise<void> }> = [
  {
    name: 'hands on the id, type, payload and headers of a message unchanged once send resolves',
    async run(fixture) {
      const sent = message({
        type: 'order.placed',
        payload: { id: 'o-1', lines: [{ sku: 'ä-1', qty: 2 }], note: null },
        headers: { tenant: 't1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      });
      await fixture.sink.send(sent, live());
      const [received] = await find(fixture, sent.id);
      ok(received, `the message ${sent.id} was not received after send resolved`);
      deepStrictEqual(
        { type: received.type, payload: received.payload, headers: received.headers },
        { type: sent.type, payload: sent.payload, headers: sent.headers },
      );
    },
  },
  {
    name: 'accepts the same message again (a redelivery after a crash) without failing',
    async run(fixture) {
      const sent = message();
      await fixture.sink.send(sent, live());
      await fixture.sink.send({ ...sent, attempt: 2 }, live());
      ok((await find(fixture, sent.id)).length >= 1);
    },
  },
  {
    name: 'accepts concurrent sends of different messages, every one received',
    async run(fixture) {
      const sent = Array.from({ length: 10 }, () => message());
      await Promise.all(sent.map((each) => fixture.sink.send(each, live())));
      for (const each of sent)
        strictEqual((await find(fixture, each.id)).length >= 1, true, `lost ${each.id}`);
    },
  },
  {
    name: 'accepts a null payload and empty headers',
    async run(fixture) {
      const sent = message({ payload: null, headers: {} });
      await fixture.sink.send(sent, live());
      const [received] = await find(fixture, sent.id);
      strictEqual(received?.payload, null);
    },
  },
];

/**
 * Registers the contract suite for one EventSink: `open()` is called once, on the first case.
 *
 * @example
 * import { describe, it } from 'vitest';
 * testEventSink('bullmq', async () => ({ sink: bullSink, received: () => jobsIn(queue) }), { describe, it });
 */
export function testEventSink(name: string, open: () => Promise<SinkFixture>, api: ContractTestApi): void {
  let fixture: Promise<SinkFixture> | undefined;
  api.describe(`EventSink contract: ${name}`, () => {
    for (const testCase of cases) {
      api.it(testCase.name, async () => {
        fixture ??= open();
        await testCase.run(await fixture);
      });
    }
  });
}
