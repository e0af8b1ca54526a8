import type { TestContext } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import type { EventOf, EventType, EventTypeMap } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import { catalogEncoder, catalogTopicSpecs } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { createPublisher, type Publisher } from '#libs/publisher'
import { type ConsumerService, type ConsumerServiceOptions, startConsumerService } from '#libs/service'
import { collect, fastTuning } from '../../helpers/consumer.ts'
import { testAdmin, testBrokers, testKafka, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'

export interface ServiceFixture {
  readonly kafka: Kafka
  readonly serde: EventSerde
  readonly publisher: Publisher<EventTypeMap>
}

/** The catalog topics exist, a publisher and a serde on the shared registry. */
export async function serviceFixture(t: TestContext): Promise<ServiceFixture> {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  const publisher = createPublisher({ kafka, encoder: catalogEncoder(serde) })
  t.after(() => publisher.close())
  return { kafka, serde, publisher }
}

/**
 * Runs a service in process through the same composition its main.ts uses, with test tuning; the
 * group's topics (retry tiers, dead-letter, changelogs) are deleted when the test ends.
 */
export async function startService(
  t: TestContext,
  fixture: ServiceFixture,
  options: Pick<ConsumerServiceOptions, 'name' | 'subscriptions'> & { env: Record<string, string> },
): Promise<ConsumerService> {
  const service = await startConsumerService({
    ...options,
    kafka: fixture.kafka,
    env: {
      KAFKA_BROKERS: testBrokers().join(','),
      SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      ...options.env,
    },
    group: { consumer: fastTuning, shutdownTimeoutMs: 15_000 },
  })
  let stopped = false
  const stop = service.stop
  t.after(async () => {
    try {
      if (!stopped) await stop()
    } finally {
      await deleteGroupTopics(fixture.kafka, service.group.groupId)
    }
  })
  return {
    ...service,
    stop: async () => {
      stopped = true
      await stop()
    },
  }
}

/** Waits until the group committed past every given record (so its outputs are final). */
export async function waitCommitted(
  t: TestContext,
  kafka: Kafka,
  groupId: string,
  records: ReadonlyArray<{ topic: string; partition: number; offset: string }>,
): Promise<void> {
  const admin = await testAdmin(t, kafka)
  await waitFor(
    async () => {
      for (const record of records) {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [record.topic] })
        const committed = offsets?.partitions.find((p) => p.partition === record.partition)?.offset
        if (committed === undefined || BigInt(committed) <= BigInt(record.offset)) return false
      }
      return true
    },
    {
      description: `group ${groupId} committing past the published records`,
      timeoutMs: 60_000,
      intervalMs: 200,
    },
  )
}

/** Decoded events of one output type, filtered, read from the beginning (read_committed). */
export async function outputs<E extends EventType>(
  t: TestContext,
  fixture: ServiceFixture,
  eventType: E,
  topic: string,
  keep: (event: EventOf<E>) => boolean,
): Promise<(atLeast?: number) => Promise<EventOf<E>[]>> {
  const records = await collect(t, fixture.kafka, [topic], { readCommitted: true })
  const snapshot = async () => {
    const events: EventOf<E>[] = []
    // The read-back consumer itself is at-least-once: after a restart under load it delivers some
    // records again. One record (partition, offset) counts once; a real duplicate has its own offset.
    const seen = new Set<string>()
    for (const record of [...records]) {
      const coordinates = `${record.partition}:${record.message.offset}`
      if (seen.has(coordinates) || !record.message.value) continue
      seen.add(coordinates)
      const event = await fixture.serde.decode(eventType, record.message.value).catch(() => undefined)
      if (event && keep(event)) events.push(event)
    }
    return events
  }
  // The read-back consumer trails the service's commit (more so on a loaded machine): a caller that
  // expects `atLeast` events waits for them (bounded), then gets all there are, so a duplicate
  // still shows as one too many.
  return async (atLeast = 0) => {
    const deadline = Date.now() + 30_000
    for (;;) {
      const events = await snapshot()
      if (events.length >= atLeast || Date.now() > deadline) return events
      await delay(100)
    }
  }
}

async function deleteGroupTopics(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  const owned = (await admin.listTopics()).filter((topic) => topic.startsWith(`${groupId}.`))
  if (owned.length > 0) await admin.deleteTopics({ topics: owned }).catch(() => {})
  await admin.disconnect()
}
