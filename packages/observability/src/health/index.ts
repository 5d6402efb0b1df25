/** `@armature/observability/health`: liveness and readiness with pluggable indicators. */
export { createHealth, type Health, type HealthKind, type HealthOptions, type HealthReport, type HealthStatus, type IndicatorState } from './health.js';
export { postgresIndicator, redisIndicator, heapIndicator, rssIndicator, IndicatorDown, type HealthIndicator, type IndicatorDetails, type Pingable, type Queryable } from './indicators.js';
