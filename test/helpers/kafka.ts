import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { type Admin, Kafka, type KafkaConfig, logLevel } from 'kafkajs'
import { waitForTopics } from '#libs/kafka'

/** The brokers of the suite's cluster; `npm test` provides them (test/run.ts). */
export function testBrokers(): string[] {
  const value = process.env['KAFKA_BROKERS']
  if (!value) {
    throw new Error('KAFKA_BROKERS is not set: run integration tests through `npm test`, which starts Kafka')
  }
  return value.split(',')
}

/** A name no other test uses: topics and groups are never shared between tests. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
}

export function testKafka(config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: uniqueName('test'),
    brokers: testBrokers(),
    logLevel: logLevel.NOTHING,
    ...config,
  })
}

/** A connected admin client, disconnected when the test ends. */
export async function testAdmin(t: TestContext, kafka = testKafka()): Promise<Admin> {
  const admin = kafka.admin()
  await admin.connect()
  t.after(() => admin.disconnect())
  return admin
}

/** Creates fresh topics and deletes them when the test ends. */
export async function createTestTopics(
  t: TestContext,
  topics: ReadonlyArray<{
    topic: string
    numPartitions?: number
    configEntries?: { name: string; value: string }[]
  }>,
  kafka = testKafka(),
): Promise<void> {
  const admin = await testAdmin(t, kafka)
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map((topic) => ({ numPartitions: 1, replicationFactor: 1, ...topic })),
  })
  // kafkajs's waitForLeaders fails on KRaft's transient UNKNOWN_TOPIC_OR_PARTITION; this retries it.
  await waitForTopics(
    admin,
    topics.map(({ topic }) => topic),
  )
  t.after(() => admin.deleteTopics({ topics: topics.map(({ topic }) => topic) }).catch(() => {}))
}

/** Polls `condition` until it returns a value other than undefined/false, or fails after the timeout. */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; description: string },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    const value = await condition()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.description}`)
    await delay(options.intervalMs ?? 50)
  }
}

/**
 * Waits (bounded) for a group's committed offset on partition 0 of `topic` to be `expected`, and
 * fails with `message` and the offset last seen otherwise. An exactly-once commit's offsets reach
 * OffsetFetch only once the transaction coordinator has written the markers, a moment after the
 * commit returns (kafkajs has no KIP-447 require_stable to wait for them).
 */
export async function committedOffsetBecomes(
  admin: Admin,
  groupId: string,
  topic: string,
  expected: number,
  message: string,
): Promise<void> {
  const committed = async () => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
    return offsets?.partitions.find((p) => p.partition === 0)?.offset
  }
  await waitFor(async () => (await committed()) === String(expected), {
    description: `committed offset ${expected}`,
    timeoutMs: 10_000,
  }).catch(async () => assert.equal(await committed(), String(expected), message))
}
