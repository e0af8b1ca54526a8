import type { TestContext } from 'node:test'
import { catalogEntries, type EventTypeMap } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { FastifyInstance } from 'fastify'
import type { Kafka } from 'kafkajs'
import { catalogEncoder } from '#libs/events'
import { type ApiKey, buildIngestApp, hashApiKey, type IngestOptions, parseApiKeys } from '#libs/ingest'
import { createPublisher, type EventEncoder, type Publisher } from '#libs/publisher'
import { createTopics } from '../integration/publisher/helpers.ts'
import { testAdmin, testKafka, uniqueName, waitFor } from './kafka.ts'
import { sharedRegistryUrl } from './registry.ts'

/** Secrets of the test keys: `all` may publish every type, `sensors` only SensorReading. */
export const keys = { all: 'test-key-all-types', sensors: 'test-key-sensors-only' } as const

export function testApiKeys(): ApiKey[] {
  return parseApiKeys(
    `all:${hashApiKey(keys.all)}:*,sensors:${hashApiKey(keys.sensors)}:SensorReading`,
    catalogEntries().map(([type]) => type),
  )
}

/** The catalog encoder, with every catalog topic renamed to `topics[topic]`. */
export function renamedTopics(
  serde: EventSerde,
  topics: Readonly<Record<string, string>>,
): EventEncoder<EventTypeMap> {
  const encoder = catalogEncoder(serde)
  return {
    async encode(eventType, event) {
      const encoded = await encoder.encode(eventType, event)
      return { ...encoded, topic: topics[encoded.topic] ?? encoded.topic }
    },
  }
}

export interface TestGateway {
  readonly app: FastifyInstance
  readonly publisher: Publisher<EventTypeMap>
  readonly serde: EventSerde
  /** Catalog topic → the private copy this gateway writes to. */
  readonly topics: Readonly<Record<string, string>>
}

/**
 * A gateway on the real broker and the shared registry that writes to private copies of the
 * catalog topics (2 partitions each). Other tests publish to the catalog's own topics at the same
 * time, so "nothing was published" can only be asserted on topics no one else writes.
 */
export async function gatewayOnPrivateTopics(
  t: TestContext,
  options: Partial<IngestOptions> = {},
  kafka: Kafka = testKafka(),
): Promise<TestGateway> {
  const topics = Object.fromEntries(
    catalogEntries().map(([, entry]) => [entry.topic, uniqueName(`gw-${entry.topic}`)]),
  )
  await createTopics(
    t,
    Object.values(topics).map((topic) => ({ topic, numPartitions: 2 })),
  )
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  const publisher = createPublisher({ kafka, encoder: renamedTopics(serde, topics) })
  t.after(() => publisher.close())
  const app = await buildIngestApp({ publisher, keys: testApiKeys(), ...options })
  t.after(() => app.close())
  return { app, publisher, serde, topics }
}

/** Sum of the end offsets of every partition of `topics`, per topic. */
export async function endOffsets(t: TestContext, topics: readonly string[]): Promise<Record<string, string>> {
  const admin = await testAdmin(t)
  const result: Record<string, string> = {}
  for (const topic of topics) {
    // A just-created topic may still answer NOT_LEADER for a moment: ask again until it answers.
    const offsets = await waitFor(() => admin.fetchTopicOffsets(topic).catch(() => undefined), {
      description: `the end offsets of ${topic}`,
    })
    result[topic] = offsets.map((partition) => `${partition.partition}:${partition.high}`).join(',')
  }
  return result
}

/** A valid SensorReading as JSON, with a fresh eventId. */
export function sensorJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: crypto.randomUUID(),
    occurredAt: '2026-11-27T10:18:00.250Z',
    source: 'gateway-test',
    sensorId: 'sensor-temp-0815',
    kind: 'TEMPERATURE',
    value: 21.375,
    unit: 'Cel',
    ...overrides,
  }
}

export interface StoredAt {
  readonly key: string | undefined
  readonly value: Buffer
  readonly headers: Record<string, string>
}

/** Reads the one record stored at `topic`/`partition`/`offset` (what a 202 answer pointed at). */
export async function readAt(
  t: TestContext,
  topic: string,
  partition: number,
  offset: string,
): Promise<StoredAt> {
  const consumer = testKafka().consumer({ groupId: uniqueName('ingest-readat'), maxWaitTimeInMs: 100 })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic, fromBeginning: false })
  let found: StoredAt | undefined
  await consumer.run({
    eachMessage: async ({ partition: p, message }) => {
      if (p !== partition || message.offset !== offset) return
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value)
      found = { key: message.key?.toString(), value: message.value ?? Buffer.alloc(0), headers }
    },
  })
  consumer.seek({ topic, partition, offset })
  const record = await waitFor(() => found, { description: `the record at ${topic}/${partition}/${offset}` })
  await consumer.stop()
  return record
}
