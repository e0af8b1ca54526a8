import Fastify, { type FastifyInstance } from 'fastify'
import { type IngestOptions, registerIngestRoutes } from './routes.ts'

/**
 * A fastify app with only the ingest routes, for tests and benchmarks. Services mount the routes
 * on `startServiceHttp` instead, next to /healthz, /readyz and /metrics.
 */
export async function buildIngestApp(options: IngestOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  await registerIngestRoutes(app, options)
  await app.ready()
  return app
}
