// @plinth/realtime: the pub/sub Broker and its memory driver, Server-Sent Events (fetch) with resume,
// replay buffers, and the errors. WebSockets live in ./ws, Redis drivers in ./redis.

export { eventStreamResponse } from './adapters/fetch.js';
export type { Broker, BrokerListener } from './broker.js';
export { type MemoryBrokerOptions, memoryBroker } from './drivers/memory.js';
export { memoryPresenceStore } from './drivers/memory-presence.js';
export { type MemoryReplayOptions, memoryReplayBuffer } from './drivers/memory-replay.js';
export {
  type ForwardErrorsOption,
  InvalidLastEventIdError,
  RealtimeError,
  type RealtimeErrorCode,
} from './errors.js';
export { type ChannelFollow, createEventHub, type EventHub, type EventHubOptions } from './event-hub.js';
export type { EventStream, EventStreamOptions } from './event-stream.js';
export {
  createPresence,
  type Presence,
  type PresenceEvent,
  type PresenceOptions,
  type PresenceStore,
} from './presence.js';
export type { ReplayBuffer, ReplayResult, StoredEvent } from './replay-buffer.js';
export { formatEvent, type ServerSentEvent } from './sse-format.js';
