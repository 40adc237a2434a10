// @plinth/realtime/ws: WebSocket endpoints on ws (an optional peer), attached to any node:http server.
export type { Connection, SlowClientPolicy } from './connection.js';
export type { MessageRateLimit } from './rate-limit.js';
export type { StandardSchemaV1 } from './standard-schema.js';
export type { UpgradeServer } from './upgrade-router.js';
export {
  createWebSocketServer,
  type RealtimeWebSocketServer,
  type WebSocketServerOptions,
} from './websocket-server.js';
