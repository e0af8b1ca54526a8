import { type Logger, pino } from 'pino'
import { traceLogFields } from './trace-log.ts'

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * A pino logger named after its service. `LOG_LEVEL` sets the level (default info); output is
 * JSON lines on stdout, as log shippers expect.
 */
export function createLogger(name: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const wanted = env['LOG_LEVEL']?.trim().toLowerCase() ?? 'info'
  const level = (levels as readonly string[]).includes(wanted) ? wanted : 'info'
  return pino({ name, level, base: { service: name }, mixin: traceLogFields })
}

export type { Logger }
