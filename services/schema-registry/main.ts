/**
 * The embedded schema registry as a service: configuration from the environment, the registry
 * from libs/schema-registry, JSON logs, and a graceful stop on SIGTERM / SIGINT.
 *
 *   KAFKA_BROKERS=localhost:9092 npm run registry
 */

import { kafkaConfigFromEnv } from '@event-backbone/client'
import { UsageError } from '@event-backbone/errors'
import { pino } from 'pino'
import { startSchemaRegistry } from '#libs/schema-registry'
import { stopWhenParentDies } from '#libs/service'

const logger = pino({ name: 'schema-registry' })
stopWhenParentDies()

function config() {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '')
  if (brokers.length === 0) throw new UsageError('KAFKA_BROKERS is not set (comma-separated host:port list)')
  const portText = process.env['REGISTRY_PORT'] ?? '8081'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new UsageError(
      `REGISTRY_PORT must be a port number between 0 and 65535 (got ${JSON.stringify(portText)})`,
    )
  }
  return {
    brokers,
    host: process.env['REGISTRY_HOST'] || '127.0.0.1',
    port,
    ...(process.env['REGISTRY_TOPIC'] ? { topic: process.env['REGISTRY_TOPIC'] } : {}),
    // SASL and TLS from the shared client variables (docs/security.md), like every other client.
    kafkaConfig: kafkaConfigFromEnv(process.env, { clientId: 'schema-registry' }),
  }
}

try {
  const settings = config()
  logger.info({ brokers: settings.brokers, topic: settings.topic }, 'reading the schemas topic')
  const registry = await startSchemaRegistry({ ...settings, logger })
  logger.info({ url: registry.url, topic: registry.topic }, 'schema registry listening')
  let stopping = false
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping the schema registry')
    await registry.close()
    logger.info('schema registry stopped')
    process.exit(0)
  }
  process.once('SIGTERM', (signal) => void stop(signal))
  process.once('SIGINT', (signal) => void stop(signal))
} catch (error) {
  logger.fatal({ err: error }, 'the schema registry could not start')
  process.exit(1)
}
