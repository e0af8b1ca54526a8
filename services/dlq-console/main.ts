/**
 * The dead-letter console: HTTP API and web page over libs/dlq. Configuration from the environment
 * (docs/dlq.md, docs/service-kit.md): KAFKA_BROKERS, SCHEMA_REGISTRY_URL, SERVICE_PORT (or
 * DLQ_CONSOLE_PORT), SERVICE_HOST (or DLQ_CONSOLE_HOST), DLQ_OPERATORS / DLQ_OPERATOR_TOKEN,
 * DLQ_READ_TOKEN, DLQ_METRICS_INTERVAL, DLQ_HISTORY_WINDOW.
 *
 *   KAFKA_BROKERS=localhost:9092 DLQ_OPERATORS=alice:s3cret-token node services/dlq-console/main.ts
 */

import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { envDurationMs, envString, envUrl, runService, ServiceEnv } from '#libs/service'
import { startDlqConsole } from './src/app.ts'
import { authFromEnv } from './src/auth.ts'

await runService(
  {
    name: 'dlq-console',
    defaultPort: 8090,
    // The console's own names came first and stay documented; the shared ones work too.
    portVariable: 'DLQ_CONSOLE_PORT',
    hostVariable: 'DLQ_CONSOLE_HOST',
  },
  async (kit) => {
    const env = kit.env
    const auth = authFromEnv(env)
    const metricsIntervalMs = envDurationMs(env, 'DLQ_METRICS_INTERVAL', 15_000)
    // Without a registry the console still lists and replays; values are shown as bytes.
    const registryUrl = envString(env, ServiceEnv.registryUrl, '') && envUrl(env, ServiceEnv.registryUrl)
    const serde = registryUrl ? new EventSerde(new ConfluentRegistryClient(registryUrl)) : undefined
    const console = await startDlqConsole({
      kafka: kit.kafka({ clientId: 'dlq-console' }),
      serde,
      auth,
      logger: kit.logger,
      host: kit.host,
      port: kit.port,
      metricsIntervalMs,
      historyWindowMs: envDurationMs(env, 'DLQ_HISTORY_WINDOW', 3_600_000),
    })
    kit.logger.info({ url: console.http.url, readOpen: auth.readOpen }, 'dlq console listening')
    kit.stopOnSignals([{ name: 'dlq-console', stop: () => console.close() }])
  },
)
