// The TokenStore, QueueDriver and Broker doubles pass the very contract suites the real drivers pass,
// imported from each package's ./testing entry; and a double that breaks the contract fails them.
import { runTokenStoreContract } from '@plinth/auth/testing';
import { memoryDriver } from '@plinth/jobs';
import { runDriverContract } from '@plinth/jobs/testing';
import { runBrokerContract } from '@plinth/realtime/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type Broker,
  type RecordingBroker,
  recordingBroker,
  recordingQueueDriver,
  recordingTokenStore,
  type TokenStore,
} from '../src/index.js';
import { collectCases } from './support/contract-cases.js';

runTokenStoreContract('recordingTokenStore()', {
  runner: { describe, it, expect, afterAll },
  create: () => recordingTokenStore(),
});

runDriverContract({ describe, it, expect, afterEach }, 'recordingQueueDriver(memoryDriver())', {
  create: ({ now }) => recordingQueueDriver(memoryDriver({ now })),
});

// Each create() is another instance on the transport of the case's first one, as the suite asks.
function brokerInstances(make: () => RecordingBroker = recordingBroker) {
  let first: RecordingBroker | undefined;
  return () => {
    first = first && !first.closed ? first.connect() : make();
    return first;
  };
}

runBrokerContract({ describe, it, expect, afterEach }, 'recordingBroker()', { create: brokerInstances() });

describe('a double that breaks a contract fails it', () => {
  it('a TokenStore that never reports reuse fails the reuse case', async () => {
    const suite = (create: () => TokenStore) =>
      collectCases((api) => runTokenStoreContract('under test', { runner: api, create }));
    const reuse = 'answers the first consume active with the record, and every later one reused';

    const honest = suite(() => recordingTokenStore());
    expect(await honest.failing()).toEqual([]);

    const broken = suite(() => {
      const store = recordingTokenStore();
      return {
        ...store,
        consume: async (hash: string, now: number) => {
          const found = await store.consume(hash, now);
          return found && { ...found, status: 'active' as const };
        },
      };
    });
    const failed = await broken.failing();
    expect(failed).toContain(reuse);
    expect(failed.length).toBeLessThan(broken.names.length);
    expect(String(await broken.run(reuse))).toMatch(/reused/);
  });

  it('a QueueDriver wrapper that reports every add as added fails the idempotent-add case', async () => {
    const suite = collectCases((api) =>
      runDriverContract(api, 'under test', {
        create: ({ now }) => {
          const driver = recordingQueueDriver(memoryDriver({ now }));
          const add: typeof driver.add = async (queue, jobs, options) =>
            (await driver.add(queue, jobs, options)).map((result) => ({ ...result, added: true }));
          return Object.assign(Object.create(driver) as typeof driver, { add });
        },
      }),
    );
    const failed = await suite.failing();
    expect(failed).toContain('adds jobs once per id, whatever state the first one is in');
    expect(failed).toContain('dedupe: one waiting or active job per key, a new one once it finished');
    expect(failed.length).toBeLessThan(suite.names.length);
  });

  it('a Broker whose unsubscribe does nothing fails the unsubscribe case', async () => {
    const suite = collectCases((api) =>
      runBrokerContract(api, 'under test', {
        create: brokerInstances(() => {
          const broker = recordingBroker();
          const subscribe: Broker['subscribe'] = async (channel, listener) => {
            await broker.subscribe(channel, listener);
            return async () => undefined;
          };
          return Object.assign(Object.create(broker) as RecordingBroker, { subscribe });
        }),
      }),
    );
    const failed = await suite.failing();
    expect(failed).toContain('stops calling a listener once its unsubscribe resolved, and keeps the others');
    expect(failed.length).toBeLessThan(suite.names.length);
  });
});
