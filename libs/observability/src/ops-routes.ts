import { Gauge, type Registry } from 'prom-client'

/*
 * The part of a fastify app these routes use, typed here rather than imported: this library is
 * bundled into @event-backbone/client, whose types must not pull in fastify's.
 */
interface OpsReply {
  code(status: number): OpsReply
  header(name: string, value: string): OpsReply
  send(body: unknown): OpsReply
}
interface OpsApp {
  get(path: string, handler: (request: unknown, reply: OpsReply) => Promise<unknown>): unknown
}

/** docs/metrics.md has the same table. */
export const opsMetricNames = { ready: 'eb_service_ready' } as const

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
  app: OpsApp,
  options: {
    readonly service: string
    readonly metrics: Registry
    readonly readiness: readonly ReadinessCheck[]
  },
): void {
  const readiness = () =>
    Promise.all(
      options.readiness.map(async (item) => {
        let outcome: boolean | string
        try {
          outcome = await item.check()
        } catch (error) {
          outcome = (error as Error).message
        }
        return {
          name: item.name,
          ready: outcome === true,
          ...(outcome === true ? {} : { reason: outcome || 'not ready' }),
        }
      }),
    )
  // /readyz is not something Prometheus scrapes: the same checks, as a gauge at scrape time.
  new Gauge({
    name: opsMetricNames.ready,
    help: '1 when every readiness check of the service passes (what /readyz answers 200 for)',
    labelNames: ['service'],
    registers: [options.metrics],
    async collect() {
      const results = await readiness()
      this.set({ service: options.service }, results.every((result) => result.ready) ? 1 : 0)
    },
  })
  app.get('/healthz', async () => ({ status: 'ok', service: options.service }))
  app.get('/readyz', async (_request, reply) => {
    const results = await readiness()
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
