import type { TestContext } from 'node:test'
import type { Kafka } from 'kafkajs'
import { createPublisher, type EncodedEvent, type Publisher, type PublisherOptions } from '#libs/publisher'
import { testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

export interface OrderPlaced {
  orderId: string
  customer: string
  note?: string
}

export type TestEvents = { OrderPlaced: OrderPlaced; OrderShipped: { orderId: string } }

/** A stand-in for the catalog-backed Avro encoder: topic by event type, key field, JSON bytes. */
export function jsonEncoder(
  topics: Record<keyof TestEvents, string>,
  before?: (eventType: string, event: unknown) => Promise<void> | void,
) {
  return {
    async encode(eventType: keyof TestEvents, event: TestEvents[keyof TestEvents]): Promise<EncodedEvent> {
      await before?.(eventType, event)
      return {
        topic: topics[eventType],
        key: (event as { customer?: string }).customer ?? event.orderId,
        value: Buffer.from(JSON.stringify(event)),
      }
    },
  }
}

/** A publisher on the suite's broker, closed when the test ends. */
export function testPublisher(
  t: TestContext,
  options: Omit<PublisherOptions<TestEvents>, 'kafka'> & { kafka?: Kafka },
): Publisher<TestEvents> {
  const publisher = createPublisher<TestEvents>({ kafka: testKafka(), ...options })
  t.after(() => publisher.close())
  return publisher
}

export interface StoredRecord {
  partition: number
  offset: string
  key: string | undefined
  value: Buffer
  headers: Record<string, string>
}

/** Reads `count` records of `topic` from the beginning with a fresh consumer group. */
export async function readBack(t: TestContext, topic: string, count: number): Promise<StoredRecord[]> {
  // A short fetch wait: stop() waits for the fetch in flight, which long-polls an idle topic.
  const consumer = testKafka().consumer({ groupId: uniqueName('publisher-readback'), maxWaitTimeInMs: 100 })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic, fromBeginning: true })
  const records: StoredRecord[] = []
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value)
      records.push({
        partition,
        offset: message.offset,
        key: message.key?.toString(),
        value: message.value ?? Buffer.alloc(0),
        headers,
      })
    },
  })
  await waitFor(() => records.length >= count, { description: `${count} records on ${topic}` })
  await consumer.stop()
  return records
}

export function at(records: readonly StoredRecord[], partition: number, offset: string): StoredRecord {
  const found = records.find((record) => record.partition === partition && record.offset === offset)
  if (!found) throw new Error(`no stored record at ${partition}/${offset}`)
  return found
}

/**
 * Like createTestTopics, but waits for the topics by polling metadata. kafkajs's createTopics with
 * waitForLeaders only retries LEADER_NOT_AVAILABLE, and a loaded KRaft broker sometimes still
 * answers UNKNOWN_TOPIC_OR_PARTITION right after creating a topic, failing the test at setup.
 */
export async function createTopics(
  t: TestContext,
  topics: ReadonlyArray<{
    topic: string
    numPartitions?: number
    configEntries?: { name: string; value: string }[]
  }>,
): Promise<void> {
  const admin = await testAdmin(t)
  const names = topics.map(({ topic }) => topic)
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map((topic) => ({ numPartitions: 1, replicationFactor: 1, ...topic })),
  })
  t.after(() => admin.deleteTopics({ topics: names }).catch(() => {}))
  await waitFor(
    async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: names }).catch(() => undefined)
      return topics.every(({ topic, numPartitions = 1 }) => {
        const partitions = metadata?.topics.find((entry) => entry.name === topic)?.partitions ?? []
        return partitions.length === numPartitions && partitions.every((partition) => partition.leader >= 0)
      })
    },
    { description: `topics ${names.join(', ')} with leaders` },
  )
}
