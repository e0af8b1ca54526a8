import type { TestContext } from 'node:test'
import type { IHeaders, Kafka, KafkaMessage, Message } from 'kafkajs'
import { type ConsumerGroup, type ConsumerGroupOptions, createConsumerGroup } from '#libs/consumer'
import { testKafka, uniqueName } from './kafka.ts'

/** Short kafkajs timeouts for tests: a dead member leaves quickly, fetches return quickly. */
export const fastTuning = {
  sessionTimeout: 6_000,
  rebalanceTimeout: 8_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 200,
}

/** Starts a consumer group and stops it when the test ends. */
export async function startGroup(
  t: TestContext,
  options: Omit<ConsumerGroupOptions, 'kafka'> & { kafka?: Kafka },
): Promise<ConsumerGroup> {
  const group = createConsumerGroup({
    kafka: options.kafka ?? testKafka(),
    consumer: fastTuning,
    shutdownTimeoutMs: 15_000,
    ...options,
  })
  t.after(async () => {
    await group.stop()
    const owned = group.subscriptions.flatMap((sub) => [...sub.retryTopics, sub.deadLetterTopic])
    const admin = (options.kafka ?? testKafka()).admin()
    await admin.connect()
    const existing = new Set(await admin.listTopics())
    const topics = owned.filter((topic) => existing.has(topic))
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => {})
    await admin.disconnect()
  })
  await group.start()
  return group
}

export async function produce(
  t: TestContext,
  kafka: Kafka,
  topic: string,
  messages: Message[],
): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  t.after(() => producer.disconnect())
  await producer.send({ topic, acks: -1, messages })
}

export interface Collected {
  readonly topic: string
  readonly partition: number
  readonly message: KafkaMessage
  readonly receivedAt: number
}

/**
 * Reads every record of `topics` from the beginning into an array, until the test ends. Each record
 * appears once: the collector is an at-least-once consumer itself, and on a loaded machine it can
 * miss its session timeout and fetch again from its last commit. Counting those re-deliveries would
 * report a duplicate that is not in the topic (two records with one value at two offsets are).
 */
export async function collect(
  t: TestContext,
  kafka: Kafka,
  topics: string[],
  options: { readCommitted?: boolean } = {},
): Promise<Collected[]> {
  const records: Collected[] = []
  const held = new Set<string>()
  const consumer = kafka.consumer({
    groupId: uniqueName('collector'),
    readUncommitted: options.readCommitted === false,
    ...fastTuning,
  })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topics, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const coordinates = `${topic}\u0000${partition}\u0000${message.offset}`
      if (held.has(coordinates)) return
      held.add(coordinates)
      records.push({ topic, partition, message, receivedAt: Date.now() })
    },
  })
  return records
}

export function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name]
  if (value === undefined) return undefined
  return Array.isArray(value) ? String(value[0]) : String(value)
}
