import type { TestContext } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { catalogEntry, type EventOf, type EventType, type EventTypeMap } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { Admin, Kafka } from 'kafkajs'
import { accessManifest, type ServiceAccess } from '#libs/access'
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
  /** Connected for the whole test (disconnected when it ends). */
  readonly admin: Admin
  /** The end offsets of the catalog topics when the fixture was made: where the test's groups begin. */
  readonly startOffsets: ReadonlyMap<string, ReadonlyArray<{ partition: number; offset: string }>>
}

/** The catalog topics exist, a publisher and a serde on the shared registry. */
export async function serviceFixture(t: TestContext): Promise<ServiceFixture> {
  const kafka = testKafka()
  const admin = await testAdmin(t, kafka)
  const specs = catalogTopicSpecs()
  await ensureTopics(admin, specs)
  const startOffsets = new Map(
    await Promise.all(
      specs.map(async ({ topic }) => {
        const ends = await admin.fetchTopicOffsets(topic)
        return [topic, ends.map((end) => ({ partition: end.partition, offset: end.high }))] as const
      }),
    ),
  )
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  const publisher = createPublisher({ kafka, encoder: catalogEncoder(serde) })
  t.after(() => publisher.close())
  return { kafka, serde, publisher, admin, startOffsets }
}

/**
 * Commits a new group's offsets on the service's input topics at the fixture's start, once: a new
 * group would otherwise begin at the earliest offset of the shared catalog topics and work through
 * every record the run's other tests published (thousands late in a run), which made restores,
 * rebalances and stops slow enough to fail. The test's own records come after the fixture.
 */
export async function beginAtFixture(
  fixture: ServiceFixture,
  service: keyof typeof accessManifest.services,
  groupId: string,
): Promise<void> {
  const { admin } = fixture
  const committed = await admin.fetchOffsets({ groupId })
  if (committed.some((entry) => entry.partitions.some((partition) => partition.offset !== '-1'))) return
  const access: ServiceAccess = accessManifest.services[service]
  const topics = new Set((access.consumes ?? []).map((eventType) => catalogEntry(eventType).topic))
  for (const topic of topics) {
    const partitions = fixture.startOffsets.get(topic)
    if (partitions) await admin.setOffsets({ groupId, topic, partitions: [...partitions] })
  }
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
  const groupId = options.env['CONSUMER_GROUP']
  if (groupId && options.name in accessManifest.services) {
    await beginAtFixture(fixture, options.name as keyof typeof accessManifest.services, groupId)
  }
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
