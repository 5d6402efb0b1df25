/** `@armature/observability/metrics`: Prometheus metrics of an app, summed across workers. */
export { createMetrics, DEFAULT_BUCKETS, UNMATCHED_ROUTE, type Metrics, type MetricsOptions } from './create-metrics.js';
