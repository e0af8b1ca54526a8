import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { Registry } from 'prom-client'
import type { Logger } from '#libs/observability'
import { traceRoutes } from './http-spans.ts'
import { type ReadinessCheck, registerOpsRoutes } from './ops-routes.ts'

export interface ServiceHttp {
  readonly app: FastifyInstance
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * The HTTP face every service has: the ops routes, plus whatever routes `setup` adds (the gateway's
 * API, the console's pages). Listens on `host:port` (port 0 picks a free one).
 */
export async function startServiceHttp(options: {
  readonly service: string
  readonly logger: Logger
  readonly metrics: Registry
  readonly readiness: readonly ReadinessCheck[]
  readonly host?: string
  readonly port?: number
  readonly setup?: (app: FastifyInstance) => void | Promise<void>
  readonly bodyLimit?: number
}): Promise<ServiceHttp> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app's type the default one.
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  })
  registerOpsRoutes(app, { service: options.service, metrics: options.metrics, readiness: options.readiness })
  traceRoutes(app)
  await options.setup?.(app)
  const host = options.host ?? '127.0.0.1'
  await app.listen({ host, port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0)
  return { app, url: `http://${host}:${port}`, port, close: () => app.close() }
}
