// The memory driver against the QueueDriver contract.
import { memoryDriver } from '../src/drivers/memory.js';
import { runDriverContract } from '../src/testing.js';

runDriverContract('memory', { create: ({ now }) => memoryDriver({ now }) });
