import Fastify, { type FastifyInstance } from 'fastify'
import { registerServiceHttpBasics, serviceFastifyOptions } from '#libs/service'
import { type IngestOptions, registerIngestRoutes } from './routes.ts'

/**
 * A fastify app with only the ingest routes, for tests and benchmarks. Services mount the routes
 * on `startServiceHttp` instead, next to /healthz, /readyz and /metrics.
 */
export async function buildIngestApp(options: IngestOptions): Promise<FastifyInstance> {
  const app = Fastify({ ...serviceFastifyOptions(), logger: false })
  registerServiceHttpBasics(app)
  await registerIngestRoutes(app, options)
  await app.ready()
  return app
}
