import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'

/** A named readiness condition: the service is ready when every check passes. */
export interface ReadinessCheck {
  readonly name: string
  /** True when ready; a string says why not. */
  check(): boolean | string | Promise<boolean | string>
}

/**
 * `/healthz` (the process is alive and serving HTTP), `/readyz` (every readiness check passes: 503
 * with the failing checks otherwise) and `/metrics` (Prometheus text format).
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  options: {
    readonly service: string
    readonly metrics: Registry
    readonly readiness: readonly ReadinessCheck[]
  },
): void {
  app.get('/healthz', async () => ({ status: 'ok', service: options.service }))
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      options.readiness.map(async (readiness) => {
        let outcome: boolean | string
        try {
          outcome = await readiness.check()
        } catch (error) {
          outcome = (error as Error).message
        }
        return {
          name: readiness.name,
          ready: outcome === true,
          ...(outcome === true ? {} : { reason: outcome || 'not ready' }),
        }
      }),
    )
    const ready = results.every((result) => result.ready)
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', service: options.service, checks: results })
  })
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.metrics.contentType)
    return options.metrics.metrics()
  })
}
