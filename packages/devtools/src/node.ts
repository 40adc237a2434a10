export {
  type EventLoopDelayStats,
  type EventLoopMonitor,
  type EventLoopMonitorOptions,
  monitorEventLoop,
} from './event-loop.js';
export {
  type ProfileLogger,
  type ProfileOnSignalOptions,
  type ProfilingEndpointsOptions,
  profileOnSignal,
  profilingEndpoints,
} from './profile-triggers.js';
export {
  type CpuProfileOptions,
  captureCpuProfile,
  type HeapSnapshotOptions,
  writeHeapSnapshot,
} from './profiler.js';
