/** `@armature/observability/logger`: the app's pino logger and one structured line per request. */
export { createLogger, logErrors, DEFAULT_REDACT, type Logger, type LoggerOptions } from './create-logger.js';
export { requestLogger, type RequestLoggerOptions } from './request-logger.js';
