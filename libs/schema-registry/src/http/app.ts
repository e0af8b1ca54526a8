import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { SchemaStore } from '../store.ts'
import { compatibilityRoutes } from './compatibility.ts'
import { configRoutes } from './config.ts'
import { registerContentTypes } from './content-types.ts'
import { registerErrorHandlers } from './errors-handler.ts'
import { schemaRoutes } from './schemas.ts'
import { subjectRoutes } from './subjects.ts'

/** The Confluent-compatible REST API over a store; reads come from memory, writes go through the store. */
export function buildRegistryApp(
  store: SchemaStore,
  options: { logger?: FastifyBaseLogger } = {},
): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Reads are the hot path; a log line per lookup would cost more than the lookup.
    logController: new LogController({ disableRequestLogging: true }),
    // Subjects are `<topic>-value` and topic names reach 249 characters; find-my-way's default is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
    bodyLimit: 16 * 1024 * 1024,
  })
  registerContentTypes(app)
  registerErrorHandlers(app)

  app.get('/', async () => ({}))
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) =>
    store.ready
      ? { status: 'ready' }
      : reply.status(503).send({ error_code: 50003, message: 'not caught up' }),
  )

  subjectRoutes(app, store)
  schemaRoutes(app, store)
  compatibilityRoutes(app, store)
  configRoutes(app, store)
  return app
}
