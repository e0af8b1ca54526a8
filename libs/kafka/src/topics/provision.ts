import { setTimeout as sleep } from 'node:timers/promises'
import { TopicPartitionMismatchError } from '@event-backbone/errors'
import type { Admin, ConfigResourceTypes, ITopicConfig } from 'kafkajs'
import { type Durability, type DurabilityProfile, durabilityFor } from '../wire/durability.ts'
import { TopicFamily } from '../wire/topics.ts'
import { validateTopicName } from './naming.ts'

export interface TopicSpec {
  readonly topic: string
  readonly numPartitions: number
  /** Which family the topic belongs to: decides its durability. A catalog (domain) topic by default. */
  readonly family?: TopicFamily
  /** Overrides the profile's replication factor for this one topic. */
  readonly replicationFactor?: number
  /** `min.insync.replicas` here overrides the profile's for this one topic. */
  readonly configs?: Readonly<Record<string, string>>
}

/** An existing topic with fewer replicas or a lower `min.insync.replicas` than the profile asks for. */
export interface DurabilityShortfall {
  readonly topic: string
  readonly family: TopicFamily
  readonly wanted: Durability
  /** The smallest replica count over its partitions. */
  readonly replicationFactor: number
  /** Undefined when the principal may not describe the topic's configs. */
  readonly minInsyncReplicas: number | undefined
}

/**
 * An existing topic whose `cleanup.policy` or `retention.ms` is not what its spec asks for (a
 * changelog created before its store had a horizon, a retention changed by hand): reported, never
 * changed. `actual` is undefined when the principal may not describe the topic's configs.
 */
export interface ConfigDrift {
  readonly topic: string
  readonly config: string
  readonly wanted: string
  readonly actual: string | undefined
}

/** The spec configs an existing topic is checked against: they decide what it keeps and for how long. */
export const checkedConfigs = ['cleanup.policy', 'retention.ms'] as const

export interface ProvisionReport {
  readonly created: string[]
  readonly existing: string[]
  /** Existing topics that fall short of the durability profile: reported, never changed. */
  readonly shortfalls: DurabilityShortfall[]
  /** Topics whose cleanup policy or retention differs from their spec: reported, never changed. */
  readonly configDrifts: ConfigDrift[]
  /** Brokers the cluster reported: the profile's defaults derive from it. */
  readonly brokers: number
}

export interface ProvisionOptions {
  /** Per-family overrides of the default durability (RF = min(3, brokers), min ISR = RF - 1). */
  readonly profile?: DurabilityProfile
}

/** The replication factor and `min.insync.replicas` a spec gets on a cluster of `brokers`. */
export function specDurability(spec: TopicSpec, brokers: number, profile?: DurabilityProfile): Durability {
  const family = durabilityFor(spec.family ?? TopicFamily.domain, brokers, profile)
  const minIsr = spec.configs?.['min.insync.replicas']
  return {
    replicationFactor: spec.replicationFactor ?? family.replicationFactor,
    minInsyncReplicas: minIsr === undefined ? family.minInsyncReplicas : Number(minIsr),
  }
}

// kafkajs's ConfigResourceTypes.TOPIC; the enum is not a named ESM export of the CommonJS package.
const TOPIC_RESOURCE = 2 as ConfigResourceTypes

/** The named configs of each topic; empty when the principal may not describe them. */
async function topicConfigs(
  admin: Admin,
  topics: readonly string[],
): Promise<Map<string, ReadonlyMap<string, string>>> {
  if (topics.length === 0) return new Map()
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: TOPIC_RESOURCE,
        name,
        configNames: ['min.insync.replicas', ...checkedConfigs],
      })),
    })
    return new Map(
      described.resources.map((resource) => [
        resource.resourceName,
        new Map(resource.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    )
  } catch {
    // A service principal may hold no DescribeConfigs grant: the replica count is still checked.
    return new Map()
  }
}

/** The checked configs of `spec` that the topic does not have (compared as sets for the policy). */
function driftsOf(spec: TopicSpec, actual: ReadonlyMap<string, string> | undefined): ConfigDrift[] {
  const drifts: ConfigDrift[] = []
  for (const config of checkedConfigs) {
    const wanted = spec.configs?.[config]
    if (wanted === undefined) continue
    const value = actual?.get(config)
    const same =
      config === 'cleanup.policy'
        ? value !== undefined && policySet(value) === policySet(wanted)
        : value === wanted
    if (!same) drifts.push({ topic: spec.topic, config, wanted, actual: value })
  }
  return drifts
}

const policySet = (policy: string) =>
  policy
    .split(',')
    .map((p) => p.trim())
    .sort()
    .join(',')

/**
 * Creates the topics that are missing, with their configs, and leaves existing ones as they are
 * (configs of existing topics are an operator's business). An existing topic with fewer partitions
 * than asked for is an error: per-key ordering and partition-scoped work depend on the count.
 * Safe to run concurrently from several processes: "already exists" counts as success.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  options: ProvisionOptions = {},
): Promise<ProvisionReport> {
  for (const spec of specs) validateTopicName(spec.topic)
  const wanted = [...new Map(specs.map((spec) => [spec.topic, spec])).values()]
  const [present, cluster] = await Promise.all([
    admin.listTopics().then((topics) => new Set(topics)),
    admin.describeCluster(),
  ])
  const brokers = cluster.brokers.length
  const durability = new Map(
    wanted.map((spec) => [spec.topic, specDurability(spec, brokers, options.profile)]),
  )
  const missing = wanted.filter((spec) => !present.has(spec.topic))
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((spec) => {
      const { replicationFactor, minInsyncReplicas } = durability.get(spec.topic)!
      const configs = { ...spec.configs, 'min.insync.replicas': String(minInsyncReplicas) }
      return {
        topic: spec.topic,
        numPartitions: spec.numPartitions,
        replicationFactor,
        configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
      }
    })
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
  const existing = wanted.filter((spec) => present.has(spec.topic))
  // Every wanted topic is checked, not only those listed before: one that another process created
  // in between ("already exists" above) is as much someone else's topic as an older one.
  const configs = await topicConfigs(
    admin,
    wanted.map((spec) => spec.topic),
  )
  const shortfalls: DurabilityShortfall[] = []
  // Only a topic that was already there can drift; one created here has its spec's configs. An
  // undescribable topic (no grant) is not reported: nothing is known about it.
  const configDrifts = existing.flatMap((spec) =>
    configs.has(spec.topic) ? driftsOf(spec, configs.get(spec.topic)) : [],
  )
  for (const spec of wanted) {
    const want = durability.get(spec.topic)!
    const partitions = metadata.topics.find((topic) => topic.name === spec.topic)?.partitions ?? []
    const replicationFactor = Math.min(...partitions.map((p) => p.replicas.length))
    const isr = configs.get(spec.topic)?.get('min.insync.replicas')
    const minInsyncReplicas = isr === undefined ? undefined : Number(isr)
    const short =
      replicationFactor < want.replicationFactor ||
      (minInsyncReplicas !== undefined && minInsyncReplicas < want.minInsyncReplicas)
    if (short) {
      shortfalls.push({
        topic: spec.topic,
        family: spec.family ?? TopicFamily.domain,
        wanted: want,
        replicationFactor,
        minInsyncReplicas,
      })
    }
  }
  return {
    created: missing.map((spec) => spec.topic),
    existing: existing.map((spec) => spec.topic),
    shortfalls,
    configDrifts,
    brokers,
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
