import type { TestContext } from 'node:test'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { IHeaders, Kafka } from 'kafkajs'
import { failureHeaders, Stage } from '#libs/consumer'
import type { ReplayTopics } from '#libs/dlq'
import { deadLetterTopicName, retryTopicName } from '#libs/kafka'
import { produce } from './consumer.ts'
import { createTestTopics, testAdmin, uniqueName } from './kafka.ts'
import { testRegistry } from './registry.ts'
import { encodeWire, orderSchema, orderType } from './wire.ts'

/** Fresh jobs and audit topics for one test, deleted when it ends. */
export async function testReplayTopics(t: TestContext, kafka: Kafka): Promise<ReplayTopics> {
  const topics = { jobs: uniqueName('_replay-jobs'), audit: uniqueName('_replay-audit') }
  const admin = await testAdmin(t, kafka)
  t.after(() => admin.deleteTopics({ topics: [topics.jobs, topics.audit] }).catch(() => {}))
  return topics
}

/** A registry with the order schema registered, and a serde on it. */
export async function orderSerde(t: TestContext): Promise<{ serde: EventSerde; schemaId: number }> {
  const registry = await testRegistry(t)
  const client = new ConfluentRegistryClient(registry.url)
  const schemaId = await client.register(uniqueName('orders-value'), JSON.stringify(orderSchema))
  return { serde: new EventSerde(client), schemaId }
}

export interface DeadLetterSpec {
  readonly key: string
  readonly value: Buffer
  readonly errorClass: string
  readonly message: string
  readonly partition?: number
  readonly timestamp?: number
  readonly headers?: IHeaders
}

export interface DeadLetterFixture {
  readonly group: string
  readonly source: string
  readonly retry: string
  readonly dlt: string
}

/**
 * A source topic, the group's first retry topic and its dead-letter topic holding `records` with
 * exactly the headers the consumer runtime writes (failureHeaders), without running a group.
 */
export async function deadLetters(
  t: TestContext,
  kafka: Kafka,
  records: readonly DeadLetterSpec[],
  options: { partitions?: number } = {},
): Promise<DeadLetterFixture> {
  const group = uniqueName('dlq-group')
  const source = uniqueName('orders')
  const retry = retryTopicName(group, source, 1)
  const dlt = deadLetterTopicName(group, source)
  const partitions = options.partitions ?? 1
  await createTestTopics(
    t,
    [
      { topic: source, numPartitions: partitions },
      { topic: retry, numPartitions: partitions },
      { topic: dlt, numPartitions: partitions },
    ],
    kafka,
  )
  const now = Date.now()
  await produce(
    t,
    kafka,
    dlt,
    records.map((record, i) => {
      const error = Object.assign(new Error(record.message), { name: record.errorClass })
      return {
        key: record.key,
        value: record.value,
        partition: record.partition ?? 0,
        ...(record.timestamp === undefined ? {} : { timestamp: String(record.timestamp) }),
        headers: failureHeaders(record.headers ?? { traceparent: `00-${i}-01` }, {
          origin: {
            topic: source,
            partition: record.partition ?? 0,
            offset: String(i),
            timestamp: String(now),
          },
          groupId: group,
          stage: Stage.handle,
          error,
          attempts: 3,
          firstFailureAt: now - 1_000,
          lastFailureAt: now,
        }),
      }
    }),
  )
  return { group, source, retry, dlt }
}

export function order(eventId: string, amount: number, schemaId: number): Buffer {
  return encodeWire({ eventId, amount, note: '' }, orderType, schemaId)
}
