export { healthMiddleware, type MiddlewareContext } from './adapters/fetch.js';
export type {
  Check,
  CheckKind,
  CheckOutcome,
  CheckResult,
  DependencyCheckOptions,
  HealthStatus,
} from './check.js';
export type { Closable } from './closable.js';
export { type DockerfileOptions, healthcheckCommand, renderDockerfile } from './dockerfile.js';
export { renderDockerignore } from './dockerignore.js';
export { type DrizzleDatabase, drizzleCheck, type PostgresSql, postgresCheck } from './drivers/postgres.js';
export { type RedisPing, redisCheck } from './drivers/redis.js';
export { CheckTimeoutError, DeployError, type DeployErrorCode } from './errors.js';
export {
  type EventLoopDelayCheck,
  type EventLoopDelayCheckOptions,
  eventLoopDelayCheck,
} from './event-loop-delay.js';
export {
  createHealth,
  type Health,
  type HealthOptions,
  type HealthReport,
  type HealthRequestInput,
  type ProbeKind,
  type ServiceInfo,
} from './health.js';
export type { HealthPaths, HealthResponse } from './health-http.js';
export { type HealthJson, type HealthJsonCheck, healthMediaType } from './health-json.js';
export { createConsoleLogger, type Logger } from './logger.js';
export type { NodeServer } from './server-drain.js';
export {
  createShutdown,
  type Shutdown,
  type ShutdownOptions,
  type ShutdownResult,
  type ShutdownServer,
  type SignalSource,
} from './shutdown.js';
