export { createProfiling, type Profiling, type ProfilingOptions } from './endpoint.js';
export { profileOnSignal, type ProfileOnSignalOptions } from './signal.js';
export {
  ProfilerBusyError,
  profilerBusy,
  startCpuProfile,
  recordCpuProfile,
  heapSnapshot,
  cpuProfileToSvg,
  profileFileName,
  DEFAULT_SAMPLING_INTERVAL,
  type CpuProfileOptions,
  type RunningCpuProfile,
} from './profiler.js';
