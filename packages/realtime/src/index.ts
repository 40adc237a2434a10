// @plinth/realtime: the pub/sub Broker, its memory driver, Server-Sent Events and the errors.
export type { Broker, BrokerListener } from './broker.js';
export { type MemoryBrokerOptions, memoryBroker } from './drivers/memory.js';
export { InvalidLastEventIdError, RealtimeError, type RealtimeErrorCode } from './errors.js';
