import type { LogEntry, logCreator } from 'kafkajs'
import type { Logger } from 'pino'

/*
 * kafkajs's logLevel values (NOTHING 0, ERROR 1, WARN 2, INFO 4, DEBUG 5), as numbers: this
 * library imports no Kafka runtime, only its types.
 */
const pinoLevels: Readonly<Record<number, 'error' | 'warn' | 'info' | 'debug'>> = {
  1: 'error',
  2: 'warn',
  4: 'info',
  5: 'debug',
}

/**
 * A kafkajs `logCreator` that writes through the service's pino logger: one JSON stream, the same
 * redaction, the kafkajs level mapped to pino's, and kafkajs's namespace (`Connection`,
 * `ConsumerGroup`, ...) in a `namespace` field of a `component: "kafkajs"` child. Which kafkajs
 * entries arrive at all is still the client's `logLevel` (`KAFKA_LOG_LEVEL`).
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' })
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log
      kafkaLogger[pinoLevels[level] ?? 'info']({ ...fields, namespace }, message)
    }
}
