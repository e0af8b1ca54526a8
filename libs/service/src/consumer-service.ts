import type { Kafka } from 'kafkajs'
import { Kafka as KafkaClient } from 'kafkajs'
import {
  type AnySubscription,
  type ConsumerGroup,
  type ConsumerGroupOptions,
  createConsumerGroup,
} from '#libs/consumer'
import { kafkaConfigFromEnv } from '#libs/kafka'
import { createLogger, createMetricsRegistry, instrumentConsumers, type Logger } from '#libs/observability'
import { ConfluentRegistryClient, EventSerde } from '#libs/serde'
import { envInt, envString, ServiceEnv } from './env.ts'
import { type StopHook, stopOnSignals } from './lifecycle.ts'
import { type ServiceHttp, startServiceHttp } from './ops-server.ts'
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
  const logger = createLogger(options.name, env)
  const groupId = envString(env, ServiceEnv.group, options.name)
  const kafka = options.kafka ?? new KafkaClient(kafkaConfigFromEnv(env))
  const registryUrl = envString(env, ServiceEnv.registryUrl, 'http://127.0.0.1:8081')
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
  const http = await startServiceHttp({
    service: options.name,
    logger,
    metrics,
    readiness: [{ name: 'consumer-group', check: () => group.ready || `not a member of group ${groupId}` }],
    host: envString(env, ServiceEnv.host, '127.0.0.1'),
    port: envInt(env, ServiceEnv.port, 0, { max: 65_535 }),
  })
  try {
    await group.start()
  } catch (error) {
    unsubscribe()
    for (const hook of stopHooks) await hook()
    await http.close()
    throw error
  }
  logger.info({ groupId, url: http.url }, 'service started')
  const hooks: StopHook[] = [
    { name: 'consumer group', stop: () => group.stop() },
    { name: 'http', stop: () => http.close() },
    {
      name: 'service state',
      stop: async () => {
        unsubscribe()
        for (const hook of stopHooks) await hook()
      },
    },
  ]
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      for (const hook of hooks) await hook.stop()
    })()
    return stopping
  }
  return { group, http, logger, hooks, stop }
}

/** For a service's main.ts: start it and stop gracefully on SIGTERM/SIGINT (exit 0, or 1 on failure). */
export async function runConsumerService(options: ConsumerServiceOptions): Promise<ConsumerService> {
  const service = await startConsumerService(options)
  stopOnSignals({ logger: service.logger, hooks: service.hooks })
  return service
}
