import { MissingTopicError, ShutdownTimeoutError } from '@event-backbone/errors'
import { type Admin, type Consumer, Kafka, type KafkaConfig, Partitioners, type Producer } from 'kafkajs'
import { ensureTopics, kafkaConfigFromEnv, partitionCounts, TopicFamily, type TopicSpec } from '#libs/kafka'
import { runExactlyOnceBatch } from '../eos/exactly-once.ts'
import { ProducerPool } from '../eos/producer-pool.ts'
import { onChannel, publish } from '../instrumentation/channels.ts'
import { Guarantee } from '../policy/types.ts'
import { validateGroupOptions } from '../policy/validate-group.ts'
import type { ConsumerGroupOptions } from '../types.ts'
import { runAtLeastOnceBatch } from './at-least-once.ts'
import { PartitionLifecycle } from './partition-lifecycle.ts'
import { Pauser } from './pauser.ts'
import { type CompiledSubscription, compileSubscriptions, partitionsAtOnce } from './routes.ts'

export interface ConsumerGroup {
  readonly groupId: string
  /** True while this member has joined the group and is consuming (the readiness probe). */
  readonly ready: boolean
  readonly subscriptions: ReadonlyArray<
    Pick<CompiledSubscription, 'topic' | 'policy' | 'retryTopics' | 'deadLetterTopic'>
  >
  /** Provisions the group's topics, joins the group and starts consuming. */
  start(): Promise<void>
  /** Finishes (at-least-once) or commits the processed part of (exactly-once) the in-flight batches, leaves the group. */
  stop(): Promise<void>
}

/**
 * Tuned for fast start-up and prompt retry pick-up; see docs/consumer-runtime.md "Start-up time".
 * maxWaitTimeInMs bounds how late a resumed partition is picked up, since an in-flight fetch for the
 * other partitions is not interrupted by a resume.
 */
const tuningDefaults = {
  sessionTimeout: 10_000,
  rebalanceTimeout: 15_000,
  heartbeatInterval: 1_000,
  maxWaitTimeInMs: 500,
} as const

const retryTopicDefaults = { 'retention.ms': String(7 * 24 * 3_600_000) }
const deadLetterTopicDefaults = { 'retention.ms': String(28 * 24 * 3_600_000) }

function kafkaFrom(option: ConsumerGroupOptions['kafka']): Kafka {
  if (option instanceof Kafka) return option
  return new Kafka((option as KafkaConfig | undefined) ?? kafkaConfigFromEnv())
}

/**
 * A declarative consumer group: subscriptions with their decoders, handlers and policies. Options
 * are validated here, before anything connects: a bad policy throws PolicyValidationError naming
 * every wrong field.
 */
export function createConsumerGroup(options: ConsumerGroupOptions): ConsumerGroup {
  validateGroupOptions(options)
  const { groupId } = options
  const { subscriptions, routes } = compileSubscriptions(groupId, options.defaults, options.subscriptions)
  const logger = options.logger
  const lifecycle = new PartitionLifecycle(routes, logger)
  const tuning = { ...tuningDefaults, ...options.consumer }
  const eos = {
    maxBatchRecords: options.exactlyOnce?.maxBatchRecords ?? 10_000,
    flushRecords: options.exactlyOnce?.flushRecords ?? 1_000,
    transactionTimeoutMs: options.exactlyOnce?.transactionTimeoutMs ?? 60_000,
  }
  const abort = new AbortController()
  let kafka: Kafka | undefined
  let admin: Admin | undefined
  let producer: Producer | undefined
  let consumer: Consumer | undefined
  let pool: ProducerPool | undefined
  let pauser: Pauser | undefined
  let ready = false
  let stopping: Promise<void> | undefined
  const detachOnStop: Array<() => void> = []

  async function provision(): Promise<void> {
    const counts = await partitionCounts(
      admin!,
      subscriptions.map((sub) => sub.topic),
    ).catch(() => new Map())
    const specs: TopicSpec[] = []
    for (const sub of subscriptions) {
      const numPartitions = counts.get(sub.topic)
      if (numPartitions === undefined) {
        throw new MissingTopicError(`subscribed topic ${sub.topic} does not exist`, {
          context: { topic: sub.topic },
        })
      }
      const configs = { ...retryTopicDefaults, ...options.retryTopicConfigs }
      for (const topic of sub.retryTopics)
        specs.push({ topic, family: TopicFamily.retry, numPartitions, configs })
      if (sub.policy.deadLetter) {
        specs.push({
          topic: sub.deadLetterTopic,
          family: TopicFamily.deadLetter,
          numPartitions,
          configs: { ...deadLetterTopicDefaults, ...options.deadLetterTopicConfigs },
        })
      }
    }
    const report = await ensureTopics(admin!, specs)
    if (report.created.length > 0) logger?.info({ groupId, created: report.created }, 'created group topics')
  }

  let started = false
  async function start(): Promise<void> {
    if (started) throw new Error(`consumer group ${groupId} was already started`)
    started = true
    try {
      await connectAndRun()
    } catch (error) {
      // Leave nothing connected behind a failed start.
      await stop().catch(() => {})
      throw error
    }
  }

  async function connectAndRun(): Promise<void> {
    kafka = kafkaFrom(options.kafka)
    admin = kafka.admin()
    await admin.connect()
    if (options.provisionTopics !== false) await provision()
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    })
    await producer.connect()
    pool = new ProducerPool(kafka, admin, groupId, eos.transactionTimeoutMs)
    consumer = kafka.consumer({
      groupId,
      sessionTimeout: tuning.sessionTimeout,
      rebalanceTimeout: tuning.rebalanceTimeout,
      heartbeatInterval: tuning.heartbeatInterval,
      maxWaitTimeInMs: tuning.maxWaitTimeInMs,
      ...(tuning.maxBytesPerPartition ? { maxBytesPerPartition: tuning.maxBytesPerPartition } : {}),
      ...(tuning.maxBytes ? { maxBytes: tuning.maxBytes } : {}),
      readUncommitted: false,
      retry: {
        restartOnFailure: async (error) => {
          logger?.warn({ groupId, err: error }, 'consumer crashed, restarting')
          publish('lifecycle', () => ({ groupId, state: 'restarting', error }))
          return true
        },
      },
    })
    pauser = new Pauser(consumer)
    if (logger) {
      const stopLogging = onChannel('timedOut', (event) => {
        if (event.groupId !== groupId) return
        logger.warn({ ...event }, 'handler timed out; the attempt fails as retriable')
      })
      detachOnStop.push(stopLogging)
    }
    const { GROUP_JOIN, CRASH, STOP } = consumer.events
    consumer.on(GROUP_JOIN, (event) => {
      ready = true
      publish('lifecycle', () => ({ groupId, state: 'joined' }))
      const assignment = event.payload.memberAssignment
      lifecycle.joined(assignment)
      void pool?.retain(assignment)
      // Create the transactional producers now, in parallel with the first fetch, instead of
      // delaying each partition's first batch by initProducerId and the offset re-read.
      for (const [topic, partitions] of Object.entries(assignment)) {
        if (routes.get(topic)?.subscription.policy.guarantee !== Guarantee.exactlyOnce) continue
        for (const partition of partitions) pool?.get(topic, partition).catch(() => {})
      }
    })
    consumer.on(CRASH, (event) => {
      ready = false
      lifecycle.revokeAll()
      logger?.error({ groupId, err: event.payload.error, restart: event.payload.restart }, 'consumer crashed')
      publish('lifecycle', () => ({ groupId, state: 'crashed', error: event.payload.error }))
    })
    consumer.on(STOP, () => {
      ready = false
      lifecycle.revokeAll()
      publish('lifecycle', () => ({ groupId, state: 'stopped' }))
    })
    await consumer.connect()
    await consumer.subscribe({ topics: [...routes.keys()], fromBeginning: options.fromBeginning ?? true })
    const alo = {
      groupId,
      producer,
      pauser,
      signal: abort.signal,
      commitIntervalMs: options.commitIntervalMs ?? 1_000,
      lifecycle,
    }
    const exactlyOnce = { groupId, producers: pool, pauser, signal: abort.signal, lifecycle, ...eos }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: subscriptions.reduce(
        (sum, sub) => sum + partitionsAtOnce(sub.policy) * (1 + sub.retryTopics.length),
        0,
      ),
      eachBatch: async (payload) => {
        const route = routes.get(payload.batch.topic)
        if (!route) throw new Error(`no subscription for topic ${payload.batch.topic}`)
        const release = await route.subscription.semaphore.acquire()
        try {
          if (route.subscription.policy.guarantee === Guarantee.exactlyOnce) {
            await runExactlyOnceBatch(exactlyOnce, route, payload)
          } else {
            await runAtLeastOnceBatch(alo, route, payload)
          }
        } finally {
          release()
        }
      },
    })
    if (options.handleSignals) {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const onSignal = () => {
          logger?.info({ groupId, signal }, 'stopping consumer group')
          stop().then(
            () => process.exit(0),
            (error) => {
              logger?.error({ groupId, err: error }, 'consumer group did not stop cleanly')
              process.exit(1)
            },
          )
        }
        process.once(signal, onSignal)
        detachOnStop.push(() => process.off(signal, onSignal))
      }
    }
  }

  async function shutdown(): Promise<void> {
    abort.abort()
    pauser?.clear()
    for (const remove of detachOnStop) remove()
    const timeoutMs = options.shutdownTimeoutMs ?? 20_000
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs)
    })
    // What the stop waits for, named in the error when it outlasts the deadline.
    let waitingFor = 'the consumer to leave the group (it finishes the batch in flight first)'
    const graceful = (async () => {
      await consumer?.disconnect()
      waitingFor = 'the exactly-once producers to close'
      await pool?.closeAll()
      waitingFor = 'the producer to close'
      await producer?.disconnect()
      waitingFor = 'the admin client to close'
      await admin?.disconnect()
      return 'done' as const
    })()
    const result = await Promise.race([graceful, deadline])
    clearTimeout(timer)
    ready = false
    if (result === 'timeout') {
      await Promise.allSettled([pool?.closeAll(), producer?.disconnect(), admin?.disconnect()])
      throw new ShutdownTimeoutError(
        `consumer group ${groupId} did not stop within ${timeoutMs} ms: still waiting for ${waitingFor}`,
        { context: { groupId, waitingFor } },
      )
    }
  }

  function stop(): Promise<void> {
    stopping ??= shutdown()
    return stopping
  }

  return {
    groupId,
    get ready() {
      return ready
    },
    subscriptions: subscriptions.map(({ topic, policy, retryTopics, deadLetterTopic }) => ({
      topic,
      policy,
      retryTopics,
      deadLetterTopic,
    })),
    start,
    stop,
  }
}
