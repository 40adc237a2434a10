// The memory driver against the QueueDriver contract.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryDriver } from '../src/drivers/memory.js';
import { runDriverContract } from '../src/testing.js';

runDriverContract({ describe, it, expect, afterEach }, 'memory', {
  create: ({ now }) => memoryDriver({ now }),
});
