import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { Counter } from 'prom-client'
import { createMetricsRegistry, registerOpsRoutes } from '#libs/observability'
import type { SchemaStore } from '../store.ts'
import { compatibilityRoutes } from './compatibility.ts'
import { configRoutes } from './config.ts'
import { registerContentTypes } from './content-types.ts'
import { registerErrorHandlers } from './errors-handler.ts'
import { schemaRoutes } from './schemas.ts'
import { subjectRoutes } from './subjects.ts'

/** 1 MiB: the largest schema Kafka's default `max.message.bytes` could store, with its escaping. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576

/** Metric names of the registry (docs/metrics.md). */
export const registryMetricNames = { requests: 'eb_registry_requests_total' } as const

/** The Confluent-compatible REST API over a store; reads come from memory, writes go through the store. */
export function buildRegistryApp(
  store: SchemaStore,
  options: { logger?: FastifyBaseLogger; maxBodyBytes?: number } = {},
): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Reads are the hot path; a log line per lookup would cost more than the lookup.
    logController: new LogController({ disableRequestLogging: true }),
    // Subjects are `<topic>-value` and topic names reach 249 characters; find-my-way's default is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
    // fastify refuses a longer body with 413 from its Content-Length (or as soon as the stream
    // passes the limit), before any parsing.
    bodyLimit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  })
  registerContentTypes(app)
  registerErrorHandlers(app)

  // Prometheus: process metrics and answers by route and status.
  const metrics = createMetricsRegistry()
  const requests = new Counter({
    name: registryMetricNames.requests,
    help: 'Schema registry HTTP answers by route and status code.',
    labelNames: ['route', 'status'],
    registers: [metrics],
  })
  app.addHook('onResponse', async (request, reply) => {
    requests.inc({ route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) })
  })
  // The same ops routes as every service (/healthz, /readyz, /metrics with eb_service_ready);
  // only the API's error bodies stay Confluent's (docs/service-kit.md#the-registrys-exception).
  registerOpsRoutes(app, {
    service: 'schema-registry',
    metrics,
    readiness: [{ name: 'store', check: () => store.ready || 'not caught up with the storage topic' }],
  })

  app.get('/', async () => ({}))

  subjectRoutes(app, store)
  schemaRoutes(app, store)
  compatibilityRoutes(app, store)
  configRoutes(app, store)
  return app
}
