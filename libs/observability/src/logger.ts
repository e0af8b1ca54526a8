import { type DestinationStream, type Logger, pino } from 'pino'
import { REDACTED, redactPaths } from './redaction.ts'
import { traceLogFields } from './trace-log.ts'

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The levels `LOG_LEVEL` accepts; the service kit refuses any other value at start. */
export const logLevels: readonly string[] = levels

/**
 * A pino logger named after its service. `LOG_LEVEL` sets the level (default info); output is
 * JSON lines on stdout, as log shippers expect. Secrets (credentials in headers, SASL and TLS
 * settings, tokens, passwords) are written as `[Redacted]`. Parts of a service log through
 * `logger.child({ component })`, so every line says where it comes from without repeating it.
 */
export function createLogger(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  /** Where the lines go instead of stdout (tests read them back). */
  destination?: DestinationStream,
): Logger {
  const wanted = env['LOG_LEVEL']?.trim().toLowerCase() ?? 'info'
  const level = (levels as readonly string[]).includes(wanted) ? wanted : 'info'
  const options = {
    name,
    level,
    base: { service: name },
    redact: { paths: [...redactPaths], censor: REDACTED },
    // trace_id and span_id of the active span on every line (docs/tracing.md).
    mixin: traceLogFields,
  }
  return destination ? pino(options, destination) : pino(options)
}

export type { Logger }
