import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Kafka, KafkaConfig } from 'kafkajs'
import type { Registry } from 'prom-client'
import { createLogger, type Logger, logLevels, type ReadinessCheck } from '#libs/observability'
import { startTracing, type Tracing } from '#libs/tracing'
import { envDurationMs, envOneOf, envPort, envString, ServiceEnv } from './env.ts'
import type { ProblemOptions } from './http-errors.ts'
import { serviceKafka } from './kafka-client.ts'
import { type StopHook, stopOnSignals } from './lifecycle.ts'
import { type ServiceHttp, startServiceHttp } from './ops-server.ts'

export interface ServiceKitOptions {
  readonly name: string
  readonly env?: NodeJS.ProcessEnv
  /** The port when neither the service's own variable nor `SERVICE_PORT` is set; default 0 (any free port). */
  readonly defaultPort?: number
  /** A service's own older names for its address (`REGISTRY_PORT`), read before the shared ones. */
  readonly portVariable?: string
  readonly hostVariable?: string
  /** Tests replace `process.exit`. */
  readonly exit?: (code: number) => void
  /** The process's trace SDK (libs/tracing, started by `runService`): flushed by the last stop hook. */
  readonly tracing?: Tracing
}

export interface ServeOptions {
  readonly metrics: Registry
  readonly readiness: readonly ReadinessCheck[]
  readonly setup?: (app: FastifyInstance) => void | Promise<void>
  readonly bodyLimit?: number
  readonly fastify?: Omit<FastifyServerOptions, 'logger' | 'loggerInstance' | 'genReqId'>
  readonly errors?: ProblemOptions
}

/** What every service gets from the kit; docs/service-kit.md. */
export interface ServiceKit {
  readonly name: string
  readonly env: NodeJS.ProcessEnv
  readonly logger: Logger
  readonly host: string
  readonly port: number
  /** A child logger whose lines say which part of the service wrote them. */
  component(name: string): Logger
  /** A Kafka client from the shared variables whose kafkajs logs go through the service's logger. */
  kafka(overrides?: Partial<KafkaConfig>): Kafka
  /** The HTTP face on SERVICE_HOST:SERVICE_PORT: ops routes, the one error shape, the service's routes. */
  serve(options: ServeOptions): Promise<ServiceHttp>
  /** Graceful stop on SIGTERM/SIGINT: the hooks in order within SERVICE_STOP_DEADLINE, then exit. */
  stopOnSignals(hooks: readonly StopHook[]): () => Promise<number>
}

/**
 * Reads the shared variables (LOG_LEVEL, SERVICE_HOST, SERVICE_PORT, SERVICE_STOP_DEADLINE) and
 * fails naming the first bad one, before anything connects.
 */
export function serviceKit(options: ServiceKitOptions): ServiceKit {
  const env = options.env ?? process.env
  const tracing = options.tracing
  const logger = createLogger(options.name, env)
  envOneOf(env, ServiceEnv.logLevel, logLevels, 'info')
  const alias = (own: string | undefined, shared: string) => (own ? [own, shared] : shared)
  const host = envString(env, alias(options.hostVariable, ServiceEnv.host), '127.0.0.1')
  const port = envPort(env, alias(options.portVariable, ServiceEnv.port), options.defaultPort ?? 0)
  const deadlineMs = envDurationMs(env, ServiceEnv.stopDeadline, 30_000)
  return {
    name: options.name,
    env,
    logger,
    host,
    port,
    component: (name) => logger.child({ component: name }),
    // KAFKA_CLIENT_ID still wins over the service's name, as docs/kafka.md says.
    kafka: (overrides = {}) =>
      serviceKafka(env, logger, { clientId: envString(env, 'KAFKA_CLIENT_ID', options.name), ...overrides }),
    serve: (serve) => startServiceHttp({ ...serve, service: options.name, logger, host, port }),
    stopOnSignals: (hooks) =>
      stopOnSignals({
        logger: logger.child({ component: 'lifecycle' }),
        // Last: the spans of the work done while stopping are exported too.
        hooks: tracing?.enabled ? [...hooks, { name: 'tracing', stop: () => tracing.shutdown() }] : hooks,
        deadlineMs,
        ...(options.exit ? { exit: options.exit } : {}),
      }),
  }
}

/**
 * A service's main.ts in one call: the kit, then `main` composes the service with it. A failed
 * start (a bad variable, an unreachable dependency that `main` awaits) is one JSON fatal line
 * naming the cause, and exit 1.
 */
export async function runService(
  options: ServiceKitOptions,
  main: (kit: ServiceKit) => Promise<void>,
): Promise<void> {
  let logger: Logger | undefined
  try {
    // First: the HTTP server spans are hooked only into routes registered while a tracer exists.
    const tracing = startTracing(options.name, options.env ?? process.env)
    const kit = serviceKit({ ...options, tracing })
    logger = kit.logger
    await main(kit)
  } catch (error) {
    ;(logger ?? createLogger(options.name, options.env ?? process.env)).fatal(
      { err: error },
      'service failed to start',
    )
    ;(options.exit ?? ((code: number) => process.exit(code)))(1)
  }
}
