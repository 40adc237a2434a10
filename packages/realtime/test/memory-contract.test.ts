// The memory broker against the Broker contract.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryBroker } from '../src/index.js';
import { runBrokerContract } from '../src/testing.js';

runBrokerContract({ describe, it, expect, afterEach }, 'memory', {
  create: () => memoryBroker(),
  skip: {
    'delivers a message published on one instance to a subscriber on another':
      'a memory broker lives in one process; share one instance instead',
  },
});
