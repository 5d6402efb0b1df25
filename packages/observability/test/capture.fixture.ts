// A pino destination that keeps the lines it is given, parsed.
import { createLogger, type LoggerOptions } from '@armature/observability/logger';

export function capturedLogger(options: LoggerOptions = {}) {
  const lines: Array<Record<string, any>> = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  const logger = createLogger({ level: 'info', ...options, destination });
  return { logger, lines };
}
