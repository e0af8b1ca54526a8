import { TriggerConfigError } from '@event-backbone/errors'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import { type ConsumerGroup, type ConsumerGroupOptions, createConsumerGroup } from '#libs/consumer'
import { kafkaConfigFromEnv } from '#libs/kafka'
import { createMetricsRegistry, groupLagGauges, instrumentConsumers, type Logger } from '#libs/observability'
import {
  envDurationMs,
  envString,
  ServiceEnv,
  type ServiceHttp,
  type ServiceKit,
  type StopHook,
  serviceKit,
  startLagMonitor,
} from '#libs/service'
import { loadTriggers } from './config/load.ts'
import type { Trigger } from './config/types.ts'
import { createAgent } from './delivery/send.ts'
import { parseSecrets } from './delivery/signing.ts'
import { createTriggerMetrics, type TriggerMetrics } from './metrics/trigger-metrics.ts'
import { type TriggerStatus, triggerStatus } from './status.ts'
import { triggerSubscriptions } from './subscriptions.ts'

/** The variables the trigger service reads beyond the shared service contract (docs/triggers.md). */
export const TriggerEnv = {
  file: 'TRIGGERS_FILE',
  groupPrefix: 'TRIGGER_GROUP_PREFIX',
} as const

export const defaultGroupPrefix = 'function-trigger-'

export interface TriggerServiceOptions {
  /** The service kit (main.ts passes runService's); the default is one on `env`. */
  readonly kit?: ServiceKit
  readonly env?: NodeJS.ProcessEnv
  /** Tests pass their own client; the default is `kafkaConfigFromEnv(env)`. */
  readonly kafka?: Kafka
  /** The triggers; the default is the file `TRIGGERS_FILE` names. */
  readonly triggers?: readonly Trigger[]
  readonly group?: Pick<ConsumerGroupOptions, 'consumer' | 'shutdownTimeoutMs' | 'commitIntervalMs'>
  readonly handleSignals?: boolean
}

export interface TriggerService {
  readonly http: ServiceHttp
  readonly logger: Logger
  readonly groups: ReadonlyMap<string, ConsumerGroup>
  readonly metrics: TriggerMetrics
  status(): TriggerStatus[]
  stop(): Promise<void>
}

function resolveEnv(trigger: Trigger, env: NodeJS.ProcessEnv) {
  const secrets =
    trigger.secretEnv === undefined ? [] : parseSecrets(env[trigger.secretEnv], trigger.secretEnv)
  const headers: Record<string, string> = {}
  for (const [header, variable] of Object.entries(trigger.headersFromEnv)) {
    const value = env[variable]
    if (value === undefined || value === '')
      throw new TriggerConfigError(
        `trigger ${trigger.name}: header ${header} needs the variable ${variable}, which is not set`,
        {
          context: { trigger: trigger.name, variable },
        },
      )
    headers[header] = value
  }
  return { secrets, headers }
}

/**
 * The function-trigger service: one consumer group per trigger (its own offsets, retry tiers and
 * dead-letter topic, so one slow function never holds another back), the ops HTTP face with
 * `GET /triggers` (configuration and usage, for `backbone triggers status`), JSON logs.
 */
export async function startTriggerService(options: TriggerServiceOptions = {}): Promise<TriggerService> {
  const kit =
    options.kit ?? serviceKit({ name: 'function-trigger', ...(options.env ? { env: options.env } : {}) })
  const env = kit.env
  const logger = kit.logger
  const registryUrl = envString(env, ServiceEnv.registryUrl, 'http://127.0.0.1:8081')
  const lagIntervalMs = envDurationMs(env, ServiceEnv.lagInterval, 10_000)
  const prefix = envString(env, TriggerEnv.groupPrefix, defaultGroupPrefix)
  const triggers =
    options.triggers ?? loadTriggers(envString(env, TriggerEnv.file, 'triggers.yaml'), env).triggers
  const kafkaConfig = kafkaConfigFromEnv(env)
  const kafka = options.kafka ?? kit.kafka()
  const serde = new EventSerde(new ConfluentRegistryClient(registryUrl))
  const registry = createMetricsRegistry()
  const unsubscribe = instrumentConsumers(registry)
  const metrics = createTriggerMetrics(registry)
  const groups = new Map<string, ConsumerGroup>()
  const agents = triggers.map((trigger) => createAgent(trigger.concurrency))
  triggers.forEach((trigger, index) => {
    const groupId = `${prefix}${trigger.name}`
    const subscriptions = triggerSubscriptions(trigger, {
      serde,
      agent: agents[index]!,
      metrics,
      registryUrl,
      bootstrapServers: kafkaConfig.brokers.toString(),
      ...resolveEnv(trigger, env),
    })
    groups.set(
      trigger.name,
      createConsumerGroup({
        ...options.group,
        groupId,
        kafka,
        logger: kit.component('trigger').child({ trigger: trigger.name }),
        fromBeginning: trigger.startFrom === 'earliest',
        subscriptions,
      }),
    )
  })
  const status = () => triggerStatus(triggers, prefix, groups, metrics)
  const http = await kit.serve({
    metrics: registry,
    readiness: [
      {
        name: 'trigger-groups',
        check: () => {
          const waiting = [...groups].filter(([, group]) => !group.ready).map(([name]) => name)
          return waiting.length === 0 || `not yet in the groups of triggers ${waiting.join(', ')}`
        },
      },
    ],
    setup: (app) => {
      app.get('/triggers', async () => ({ triggers: status() }))
    },
  })
  const lag = startLagMonitor({
    kafka,
    groups: () => triggers.map((trigger) => `${prefix}${trigger.name}`),
    gauges: groupLagGauges(registry),
    intervalMs: lagIntervalMs,
    logger,
  })
  const hooks: StopHook[] = [
    {
      name: 'trigger groups',
      stop: async () => {
        const results = await Promise.allSettled([...groups.values()].map((group) => group.stop()))
        await Promise.allSettled(agents.map((agent) => agent.close()))
        unsubscribe()
        const failed = results.find((result) => result.status === 'rejected')
        if (failed) throw failed.reason
      },
    },
    { name: 'lag monitor', stop: () => lag.stop() },
    { name: 'http', stop: () => http.close() },
  ]
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      let first: unknown
      for (const hook of hooks) await hook.stop().catch((error: unknown) => (first ??= error))
      if (first !== undefined) throw first
    })()
    return stopping
  }
  if (options.handleSignals) kit.stopOnSignals(hooks)
  try {
    await Promise.all([...groups.values()].map((group) => group.start()))
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
  logger.info({ triggers: triggers.map((t) => t.name), url: http.url }, 'function triggers started')
  return { http, logger, groups, metrics, status, stop }
}
