/**
 * The dead-letter console: HTTP API and web page over libs/dlq. Configuration from the environment
 * (docs/dlq.md): KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DLQ_CONSOLE_PORT, DLQ_CONSOLE_HOST,
 * DLQ_OPERATORS / DLQ_OPERATOR_TOKEN, DLQ_READ_TOKEN, DLQ_METRICS_INTERVAL, DLQ_HISTORY_WINDOW.
 *
 *   KAFKA_BROKERS=localhost:9092 DLQ_OPERATORS=alice:s3cret-token node services/dlq-console/main.ts
 */

import { createLogger, kafkaConfigFromEnv } from '@event-backbone/client'
import { UsageError } from '@event-backbone/errors'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { Kafka } from 'kafkajs'
import { envDurationMs, stopOnSignals } from '#libs/service'
import { startDlqConsole } from './src/app.ts'
import { authFromEnv } from './src/auth.ts'

const logger = createLogger('dlq-console')

try {
  const env = process.env
  // The shared service contract (SERVICE_PORT/SERVICE_HOST) or the console's own names.
  const portText = env['DLQ_CONSOLE_PORT'] ?? env['SERVICE_PORT'] ?? '8090'
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) {
    throw new UsageError(`DLQ_CONSOLE_PORT must be a port number, not ${JSON.stringify(portText)}`)
  }
  const auth = authFromEnv(env)
  const kafka = new Kafka(kafkaConfigFromEnv(env, { clientId: 'dlq-console' }))
  const registryUrl = env['SCHEMA_REGISTRY_URL']
  const serde = registryUrl ? new EventSerde(new ConfluentRegistryClient(registryUrl)) : undefined
  const console = await startDlqConsole({
    kafka,
    serde,
    auth,
    logger,
    host: env['DLQ_CONSOLE_HOST'] || env['SERVICE_HOST'] || '127.0.0.1',
    port: Number(portText),
    metricsIntervalMs: envDurationMs(env, 'DLQ_METRICS_INTERVAL', 15_000),
    historyWindowMs: envDurationMs(env, 'DLQ_HISTORY_WINDOW', 3_600_000),
  })
  logger.info({ url: console.http.url, readOpen: auth.readOpen }, 'dlq console listening')
  stopOnSignals({ logger, hooks: [{ name: 'dlq-console', stop: () => console.close() }] })
} catch (error) {
  logger.fatal({ err: error }, 'the dlq console could not start')
  process.exit(1)
}
