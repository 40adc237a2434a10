// The live module's public surface (REFERENCE-CONTRACT.md): createLive and its types.

export { createLiveDrivers, type LiveDrivers } from './drivers.js';
export type { LiveEvent } from './event-sink.js';
export { LiveEventError, LivePublishError } from './event-sink.js';
export { createLive, type Live, type LiveOptions } from './live.js';
export { LiveRefusal, type LiveRefusalCode } from './refusal.js';
export { teamChannel } from './team-feed.js';
