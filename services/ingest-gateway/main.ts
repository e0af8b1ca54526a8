/**
 * The HTTP ingest gateway: configuration from the environment, the catalog publisher, the ingest
 * routes next to /healthz, /readyz and /metrics, and a graceful stop on SIGTERM / SIGINT.
 *
 *   KAFKA_BROKERS=localhost:9092 SCHEMA_REGISTRY_URL=http://localhost:8081 \
 *   INGEST_API_KEYS=name:<sha256 of the key>:* node services/ingest-gateway/main.ts
 *
 * docs/ingest-gateway.md lists every variable.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { catalogEncoder, createMetricsRegistry, createPublisher } from '@event-backbone/client'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { ingestConfigFromEnv, registerIngestRoutes } from '#libs/ingest'
import { runService } from '#libs/service'

await runService({ name: 'ingest-gateway', defaultPort: 8080 }, async (kit) => {
  const logger = kit.logger
  const config = ingestConfigFromEnv(kit.env)
  const kafka = kit.kafka({ clientId: 'ingest-gateway' })
  const serde = new EventSerde(new ConfluentRegistryClient(config.registryUrl, { timeoutMs: 5_000 }))
  const publisher = createPublisher({
    kafka,
    encoder: catalogEncoder(serde, { registryUrl: config.registryUrl }),
    clientId: 'ingest-gateway',
    lingerMs: config.lingerMs,
  })
  const metrics = createMetricsRegistry()

  // Connect and register the served schemas in the background, retrying: until both are done the
  // service is up (liveness) but not ready, so no load balancer sends it events it would refuse.
  const state = { kafka: 'connecting' as true | string, registry: 'registering schemas' as true | string }
  const warmUp = new AbortController()
  const retry = async (name: keyof typeof state, attempt: () => Promise<unknown>) => {
    while (!warmUp.signal.aborted) {
      try {
        await attempt()
        state[name] = true
        return
      } catch (error) {
        state[name] = (error as Error).message
        logger.warn({ part: name, err: error }, 'not ready yet; retrying')
        await delay(2_000, undefined, { signal: warmUp.signal }).catch(() => {})
      }
    }
  }
  void retry('kafka', () => publisher.connect())
  void retry('registry', () => Promise.all(config.eventTypes.map((type) => serde.schemaId(type))))

  const http = await kit.serve({
    metrics,
    bodyLimit: config.bodyLimit,
    errors: { retryAfterSeconds: config.retryAfterSeconds },
    readiness: [
      { name: 'kafka', check: () => state.kafka },
      // Once every served type's schema id is known the gateway no longer needs the registry.
      { name: 'registry', check: () => state.registry },
    ],
    setup: (app) =>
      registerIngestRoutes(app, {
        publisher,
        keys: config.keys,
        metrics,
        eventTypes: config.eventTypes,
        bodyLimit: config.bodyLimit,
        maxBatchItems: config.maxBatchItems,
        publishTimeoutMs: config.publishTimeoutMs,
        retryAfterSeconds: config.retryAfterSeconds,
        ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
        ...(config.authFailureLimit ? { authFailureLimit: config.authFailureLimit } : {}),
      }),
  })
  logger.info(
    { url: http.url, eventTypes: config.eventTypes, keys: config.keys.map((key) => key.name) },
    'ingest gateway listening',
  )
  kit.stopOnSignals([
    { name: 'warm-up', stop: async () => warmUp.abort() },
    // Stops accepting, and waits for the requests in flight (their publishes complete first).
    { name: 'http', stop: () => http.close() },
    { name: 'publisher', stop: () => publisher.close() },
  ])
})
