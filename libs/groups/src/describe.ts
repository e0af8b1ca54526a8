import { GroupNotFoundError } from '@event-backbone/errors'
import { type Admin, AssignerProtocol } from 'kafkajs'

export interface GroupMember {
  readonly memberId: string
  readonly clientId: string
  readonly host: string
  readonly assignment: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>
}

export interface PartitionLag {
  readonly topic: string
  readonly partition: number
  /** The group's committed offset; null when it has none for this partition. */
  readonly committed: string | null
  /** The partition's end offset (high watermark). */
  readonly end: string
  /** end - committed (end - earliest without a commit: what the group would read). */
  readonly lag: number
}

export interface GroupDescription {
  readonly groupId: string
  /** Kafka's group state: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead. */
  readonly state: string
  readonly members: readonly GroupMember[]
  /** Every topic the group has committed offsets on (its retry tiers too) or is assigned. */
  readonly partitions: readonly PartitionLag[]
  readonly totalLag: number
}

function decodeAssignment(bytes: Buffer): GroupMember['assignment'] {
  if (bytes.length === 0) return []
  const decoded = AssignerProtocol.MemberAssignment.decode(bytes)
  return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({
    topic,
    partitions: [...partitions].sort((a, b) => a - b),
  }))
}

type GroupMetadata = Awaited<ReturnType<Admin['describeGroups']>>['groups'][number]

/** A described group's members, with their decoded assignments. */
export function membersOf(group: GroupMetadata | undefined): GroupMember[] {
  return (group?.members ?? []).map((member) => ({
    memberId: member.memberId,
    clientId: member.clientId,
    host: member.clientHost,
    assignment: decodeAssignment(member.memberAssignment),
  }))
}

/**
 * End offsets by topic, fetched once per round: many groups read the same topics, and a round over
 * every group of the cluster (`listGroups`, the console's lag timer) would otherwise ask again per group.
 */
export type EndOffsets = Map<string, ReturnType<Admin['fetchTopicOffsets']>>

/** Members and committed offsets of a group, with the lag of every partition it reads. */
export async function describeGroup(
  admin: Admin,
  groupId: string,
  ends: EndOffsets = new Map(),
): Promise<GroupDescription> {
  const {
    groups: [group],
  } = await admin.describeGroups([groupId])
  const members = membersOf(group)
  const committed = await admin.fetchOffsets({ groupId })
  const topics = new Set([
    ...committed.map((entry) => entry.topic),
    ...members.flatMap((member) => member.assignment.map((entry) => entry.topic)),
  ])
  if ((group === undefined || group.state === 'Dead') && topics.size === 0) {
    throw new GroupNotFoundError(
      `consumer group '${groupId}' does not exist (no members, no committed offsets)`,
      {
        context: { groupId },
      },
    )
  }
  const partitions: PartitionLag[] = []
  for (const topic of [...topics].sort()) {
    if (!ends.has(topic)) ends.set(topic, admin.fetchTopicOffsets(topic))
    const topicEnds = [...(await ends.get(topic)!)]
    const commits = committed.find((entry) => entry.topic === topic)?.partitions ?? []
    for (const end of topicEnds.sort((a, b) => a.partition - b.partition)) {
      const offset = commits.find((entry) => entry.partition === end.partition)?.offset
      const has = offset !== undefined && offset !== '-1'
      const from = has ? BigInt(offset) : BigInt(end.low)
      partitions.push({
        topic,
        partition: end.partition,
        committed: has ? offset : null,
        end: end.high,
        lag: Number(BigInt(end.high) - from > 0n ? BigInt(end.high) - from : 0n),
      })
    }
  }
  return {
    groupId,
    state: group?.state ?? 'Dead',
    members,
    partitions,
    totalLag: partitions.reduce((sum, entry) => sum + entry.lag, 0),
  }
}

export interface GroupSummary {
  readonly groupId: string
  readonly state: string
  readonly members: number
  readonly totalLag: number
}

/** The ids of every consumer group of the cluster (the "consumer" protocol, or none yet), sorted. */
export async function consumerGroupIds(admin: Admin): Promise<string[]> {
  const { groups } = await admin.listGroups()
  return groups
    .filter((group) => group.protocolType === 'consumer' || group.protocolType === '')
    .map((group) => group.groupId)
    .sort()
}

/** Every consumer group of the cluster (kafkajs's "consumer" protocol), with its state and lag. */
export async function listGroups(admin: Admin): Promise<GroupSummary[]> {
  const ends: EndOffsets = new Map()
  const summaries: GroupSummary[] = []
  for (const groupId of await consumerGroupIds(admin)) {
    const description = await describeGroup(admin, groupId, ends).catch(() => undefined)
    if (description) {
      summaries.push({
        groupId,
        state: description.state,
        members: description.members.length,
        totalLag: description.totalLag,
      })
    }
  }
  return summaries
}
