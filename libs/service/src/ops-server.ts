import { randomUUID } from 'node:crypto'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify'
import type { Registry } from 'prom-client'
import { type Logger, type ReadinessCheck, registerOpsRoutes } from '#libs/observability'
import { type ProblemOptions, REQUEST_ID_HEADER, registerErrorHandlers } from './http-errors.ts'
import { traceRoutes } from './http-spans.ts'

export interface ServiceHttp {
  readonly app: FastifyInstance
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/** Fastify settings every HTTP face shares: a UUID per request, echoed as `x-request-id`. */
export function serviceFastifyOptions(): FastifyServerOptions {
  return {
    genReqId: () => randomUUID(),
    logController: new LogController({ disableRequestLogging: true }),
  }
}

/** Request ids and the one error shape on any fastify app (the kit's own, or a test's). */
export function registerServiceHttpBasics(app: FastifyInstance, options: ProblemOptions = {}): void {
  // A callback hook, not an async one: it runs on every request of the gateway's hot path, and an
  // async hook costs a promise per request for a header write.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    done()
  })
  registerErrorHandlers(app, options)
}

/**
 * The HTTP face every service has: the ops routes, the one error shape, plus whatever routes
 * `setup` adds (the gateway's API, the console's pages). Listens on `host:port` (port 0 picks a
 * free one).
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
  /** Further fastify settings (router options); the kit's request ids and logger win. */
  readonly fastify?: Omit<FastifyServerOptions, 'logger' | 'loggerInstance' | 'genReqId'>
  readonly errors?: ProblemOptions
}): Promise<ServiceHttp> {
  const app = Fastify({
    ...options.fastify,
    ...serviceFastifyOptions(),
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app's type the default one.
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  })
  registerServiceHttpBasics(app, options.errors)
  registerOpsRoutes(app, { service: options.service, metrics: options.metrics, readiness: options.readiness })
  traceRoutes(app)
  await options.setup?.(app)
  const host = options.host ?? '127.0.0.1'
  await app.listen({ host, port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0)
  const urlHost = host.includes(':') ? `[${host}]` : host
  return { app, url: `http://${urlHost}:${port}`, port, close: () => app.close() }
}
