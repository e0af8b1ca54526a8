/**
 * The embedded schema registry as a service: the service kit's environment (SERVICE_PORT /
 * SERVICE_HOST, or the registry's own REGISTRY_PORT / REGISTRY_HOST), logger, Kafka logs and
 * graceful stop, around the registry from libs/schema-registry.
 *
 *   KAFKA_BROKERS=localhost:9092 npm run registry
 */

import { kafkaConfigFromEnv } from '@event-backbone/client'
import { kafkaLogCreator } from '#libs/observability'
import { startSchemaRegistry } from '#libs/schema-registry'
import { envString, runService } from '#libs/service'

await runService(
  {
    name: 'schema-registry',
    defaultPort: 8081,
    // Documented before the registry joined the kit; they win over the shared names when set.
    portVariable: 'REGISTRY_PORT',
    hostVariable: 'REGISTRY_HOST',
  },
  async (kit) => {
    // SASL and TLS from the shared client variables (docs/security.md), like every other client;
    // the store builds its own clients from this config, so its kafkajs logs go through the kit too.
    const kafkaConfig = kafkaConfigFromEnv(kit.env, {
      clientId: 'schema-registry',
      logCreator: kafkaLogCreator(kit.logger),
    })
    const brokers = kafkaConfig.brokers as string[]
    const topic = envString(kit.env, 'REGISTRY_TOPIC', '')
    kit.logger.info({ brokers, topic }, 'reading the schemas topic')
    const registry = await startSchemaRegistry({
      brokers,
      host: kit.host,
      port: kit.port,
      ...(topic ? { topic } : {}),
      kafkaConfig,
      logger: kit.component('http'),
    })
    kit.logger.info({ url: registry.url, topic: registry.topic }, 'schema registry listening')
    kit.stopOnSignals([{ name: 'schema-registry', stop: () => registry.close() }])
  },
)
