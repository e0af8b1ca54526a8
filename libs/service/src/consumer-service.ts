import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import {
  type AnySubscription,
  type ConsumerGroup,
  type ConsumerGroupOptions,
  createConsumerGroup,
} from '#libs/consumer'
import {
  createLogger,
  createMetricsRegistry,
  groupLagGauges,
  instrumentConsumers,
  type Logger,
} from '#libs/observability'
import { startTracing } from '#libs/tracing'
import { envDurationMs, envString, envUrl, ServiceEnv } from './env.ts'
import { startLagMonitor } from './lag-monitor.ts'
import type { StopHook } from './lifecycle.ts'
import type { ServiceHttp } from './ops-server.ts'
import { serviceKit } from './service-kit.ts'
import { createServiceMetrics, type ServiceMetrics } from './service-metrics.ts'

/** What a service's composition gets to build its subscriptions from. */
export interface ServiceDeps {
  readonly name: string
  readonly groupId: string
  readonly env: NodeJS.ProcessEnv
  readonly kafka: Kafka
  readonly serde: EventSerde
  readonly logger: Logger
  readonly metrics: ServiceMetrics
  /** Runs when the service stops, after the group left (close stores, timers). */
  onStop(hook: () => void | Promise<void>): void
}

export interface ConsumerServiceOptions {
  readonly name: string
  readonly env?: NodeJS.ProcessEnv
  /** Tests pass their own client; the default is `kafkaConfigFromEnv(env)`. */
  readonly kafka?: Kafka
  readonly subscriptions: (
    deps: ServiceDeps,
  ) => readonly AnySubscription[] | Promise<readonly AnySubscription[]>
  /** Group options beyond groupId, kafka, subscriptions and logger (tuning, exactly-once batch sizes). */
  readonly group?: Omit<ConsumerGroupOptions, 'groupId' | 'kafka' | 'subscriptions' | 'logger'>
  /** Stop gracefully on SIGTERM/SIGINT and exit (0, or 1 when a part failed). Mains turn it on. */
  readonly handleSignals?: boolean
}

export interface ConsumerService {
  readonly group: ConsumerGroup
  readonly http: ServiceHttp
  readonly logger: Logger
  /** Stop taking records (leave the group, commit), then close the HTTP server. */
  readonly hooks: readonly StopHook[]
  stop(): Promise<void>
}

/**
 * A consumer service: one consumer group, the ops HTTP face (/healthz, /readyz = in the group,
 * /metrics with the consumer metrics), JSON logs. The four domain services are this plus their
 * subscriptions; `runConsumerService` adds the signal handling their mains need.
 */
export async function startConsumerService(options: ConsumerServiceOptions): Promise<ConsumerService> {
  const env = options.env ?? process.env
  // Every shared variable is read before anything connects: a bad value fails fast.
  // A main (handleSignals) owns the process, so it registers the trace SDK; tests in-process do not.
  const kit = serviceKit({
    name: options.name,
    env,
    ...(options.handleSignals ? { tracing: startTracing(options.name, env) } : {}),
  })
  const logger = kit.logger
  const groupId = envString(env, ServiceEnv.group, options.name)
  const kafka = options.kafka ?? kit.kafka()
  const registryUrl = envUrl(env, ServiceEnv.registryUrl, 'http://127.0.0.1:8081')
  const lagIntervalMs = envDurationMs(env, ServiceEnv.lagInterval, 10_000)
  const serde = new EventSerde(new ConfluentRegistryClient(registryUrl))
  const metrics = createMetricsRegistry()
  const unsubscribe = instrumentConsumers(metrics)
  const stopHooks: Array<() => void | Promise<void>> = []
  const deps: ServiceDeps = {
    name: options.name,
    groupId,
    env,
    kafka,
    serde,
    logger,
    metrics: createServiceMetrics(metrics, options.name),
    onStop: (hook) => stopHooks.push(hook),
  }
  const group = createConsumerGroup({
    ...options.group,
    groupId,
    kafka,
    logger,
    subscriptions: await options.subscriptions(deps),
  })
  // HTTP first, so /healthz answers and /readyz says "not in the group" while the group joins.
  const http = await kit.serve({
    metrics,
    readiness: [{ name: 'consumer-group', check: () => group.ready || `not a member of group ${groupId}` }],
  })
  // Lag from committed and end offsets on a timer: true on idle partitions and retry tiers too.
  const lag = startLagMonitor({
    kafka,
    groups: () => [groupId],
    gauges: groupLagGauges(metrics),
    intervalMs: lagIntervalMs,
    logger,
  })
  const hooks: StopHook[] = [
    {
      name: 'consumer group',
      // State closes while the group stops: a restore the in-flight record waits for is aborted
      // rather than holding the stop until its own timeout.
      stop: async () => {
        const closing = Promise.allSettled(stopHooks.map(async (hook) => hook()))
        try {
          await group.stop()
        } finally {
          await closing
          unsubscribe()
        }
      },
    },
    { name: 'lag monitor', stop: () => lag.stop() },
    { name: 'http', stop: () => http.close() },
  ]
  let stopping: Promise<void> | undefined
  const stop = () => {
    // Every hook runs, also after one failed; the first failure is reported.
    stopping ??= (async () => {
      const results = []
      for (const hook of hooks)
        results.push(
          await hook.stop().then(
            () => undefined,
            (error: unknown) => error,
          ),
        )
      const failed = results.find((error) => error !== undefined)
      if (failed !== undefined) throw failed
    })()
    return stopping
  }
  // Before the join, so a SIGTERM while the group starts is a graceful stop too.
  if (options.handleSignals) kit.stopOnSignals(hooks)
  try {
    await group.start()
  } catch (error) {
    await Promise.allSettled(hooks.map((hook) => hook.stop()))
    throw error
  }
  logger.info({ groupId, url: http.url }, 'service started')
  return { group, http, logger, hooks, stop }
}

/** A service's main.ts: start it, stop gracefully on SIGTERM/SIGINT; a failed start is logged as JSON and exits 1. */
export async function runConsumerService(options: ConsumerServiceOptions): Promise<ConsumerService> {
  try {
    return await startConsumerService({ ...options, handleSignals: true })
  } catch (error) {
    createLogger(options.name, options.env ?? process.env).fatal({ err: error }, 'service failed to start')
    process.exit(1)
  }
}
