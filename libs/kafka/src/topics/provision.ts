import { setTimeout as sleep } from 'node:timers/promises'
import { TopicPartitionMismatchError } from '@event-backbone/errors'
import type { Admin, ITopicConfig } from 'kafkajs'
import { validateTopicName } from './naming.ts'

export interface TopicSpec {
  readonly topic: string
  readonly numPartitions: number
  readonly replicationFactor?: number
  readonly configs?: Readonly<Record<string, string>>
}

export interface ProvisionReport {
  readonly created: string[]
  readonly existing: string[]
}

/**
 * Creates the topics that are missing, with their configs, and leaves existing ones as they are
 * (configs of existing topics are an operator's business). An existing topic with fewer partitions
 * than asked for is an error: per-key ordering and partition-scoped work depend on the count.
 * Safe to run concurrently from several processes: "already exists" counts as success.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<ProvisionReport> {
  for (const spec of specs) validateTopicName(spec.topic)
  const wanted = [...new Map(specs.map((spec) => [spec.topic, spec])).values()]
  const present = new Set(await admin.listTopics())
  const missing = wanted.filter((spec) => !present.has(spec.topic))
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((spec) => ({
      topic: spec.topic,
      numPartitions: spec.numPartitions,
      replicationFactor: spec.replicationFactor ?? -1,
      configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
    }))
    try {
      await admin.createTopics({ topics, waitForLeaders: false })
    } catch (error) {
      // Another process may have created some of them in between; verified below.
      if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error
    }
  }
  const metadata = await waitForTopics(
    admin,
    wanted.map((spec) => spec.topic),
  )
  for (const spec of wanted) {
    const found = metadata.topics.find((topic) => topic.name === spec.topic)
    const count = found?.partitions.length ?? 0
    if (count < spec.numPartitions) {
      throw new TopicPartitionMismatchError(
        `topic ${spec.topic} has ${count} partitions, ${spec.numPartitions} are required`,
        { context: { topic: spec.topic } },
      )
    }
  }
  return {
    created: missing.map((spec) => spec.topic),
    existing: wanted.filter((spec) => present.has(spec.topic)).map((spec) => spec.topic),
  }
}

/** Partition counts of existing topics (missing topics are absent from the map). */
export async function partitionCounts(admin: Admin, topics: readonly string[]): Promise<Map<string, number>> {
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] })
  return new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]))
}

const notYet = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'])

/**
 * Waits until every topic has a leader for each partition. kafkajs's own `waitForLeaders` retries
 * only LEADER_NOT_AVAILABLE, but a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION for a topic
 * created a moment ago until its metadata cache catches up: retry both, within a deadline.
 */
export async function waitForTopics(
  admin: Admin,
  topics: readonly string[],
  timeoutMs = 15_000,
): Promise<Awaited<ReturnType<Admin['fetchTopicMetadata']>>> {
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] })
      const led = metadata.topics.every((topic) => topic.partitions.every((p) => p.leader >= 0))
      if (led || Date.now() > deadline) return metadata
    } catch (error) {
      if (!notYet.has((error as { type?: string }).type ?? '') || Date.now() > deadline) throw error
    }
    await sleep(Math.min(20 * 2 ** attempt, 500))
  }
}
