// The EventSink seam's contract as @plinth/services documents it, run against the double here and
// against services' memory sink, so a sink double never accepts what a real sink would not.
import { deepStrictEqual, equal, ok } from 'node:assert/strict';
import type { ContractTestApi } from './contract-api.js';
import type { EventSink, OutboxMessage } from './recording-event-sink.js';

/** A sink under test and a way to read what it accepted (from its transport). */
export interface EventSinkFixture {
  sink: EventSink;
  /** The ids the transport holds, in the order they were accepted. */
  accepted(): Promise<string[]>;
}

function message(id: string, attempt = 1): OutboxMessage {
  return {
    id,
    type: 'order.placed',
    payload: { orderId: id },
    headers: { 'x-tenant': 't1' },
    createdAt: new Date('2026-01-01T00:00:00Z'),
    attempt,
  };
}

/**
 * Registers the EventSink contract cases; `make` returns a fresh sink.
 *
 * @example
 * testEventSink({ describe, it }, 'my queue sink', async () => ({ sink, accepted: () => queue.ids() }));
 */
export function testEventSink(
  api: ContractTestApi,
  name: string,
  make: () => EventSinkFixture | Promise<EventSinkFixture>,
): void {
  api.describe(`EventSink contract: ${name}`, () => {
    api.it('resolves send() once the message is accepted', async () => {
      const { sink, accepted } = await make();
      const result = await sink.send(message('m1'), new AbortController().signal);
      equal(result, undefined);
      deepStrictEqual(await accepted(), ['m1']);
    });

    api.it('accepts messages sent one at a time in that order', async () => {
      const { sink, accepted } = await make();
      for (const id of ['a', 'b', 'c']) await sink.send(message(id), new AbortController().signal);
      deepStrictEqual(await accepted(), ['a', 'b', 'c']);
    });

    api.it('accepts a redelivery of the same id (at least once)', async () => {
      const { sink, accepted } = await make();
      await sink.send(message('m1', 1), new AbortController().signal);
      await sink.send(message('m1', 2), new AbortController().signal);
      deepStrictEqual(await accepted(), ['m1', 'm1']);
    });

    api.it('has a non-empty name when it has one, and close() resolves when it has one', async () => {
      const { sink } = await make();
      if (sink.name !== undefined) ok(typeof sink.name === 'string' && sink.name.length > 0);
      if (sink.close) equal(await sink.close(), undefined);
    });
  });
}
