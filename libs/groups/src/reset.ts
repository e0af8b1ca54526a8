import { GroupActiveError, ResetTargetError } from '@event-backbone/errors'
import type { Admin } from 'kafkajs'
import { describeGroup, type GroupMember, membersOf } from './describe.ts'

/** Where a reset moves a group's committed offsets, as kafka-consumer-groups.sh offers it. */
export type ResetTarget =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'datetime'; readonly at: Date }
  | { readonly kind: 'duration'; readonly agoMs: number }
  | { readonly kind: 'offset'; readonly offset: bigint }

export interface ResetTargetInput {
  readonly toEarliest?: boolean | undefined
  readonly toLatest?: boolean | undefined
  readonly toDatetime?: string | undefined
  readonly byDuration?: string | undefined
  readonly toOffset?: string | undefined
}

const durationUnits: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Exactly one target, parsed; a ResetTargetError that names the option otherwise. */
export function parseResetTarget(input: ResetTargetInput): ResetTarget {
  const given = Object.entries(input).filter(([, value]) => value !== undefined && value !== false)
  if (given.length !== 1) {
    throw new ResetTargetError(
      `give exactly one reset target (to-earliest, to-latest, to-datetime, by-duration or to-offset); got ${given.length === 0 ? 'none' : given.map(([name]) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)).join(', ')}`,
    )
  }
  if (input.toEarliest) return { kind: 'earliest' }
  if (input.toLatest) return { kind: 'latest' }
  if (input.toDatetime !== undefined) {
    const at = new Date(input.toDatetime)
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(input.toDatetime)) {
      throw new ResetTargetError(
        `to-datetime needs an ISO 8601 datetime such as 2026-12-04T10:00:00Z, got '${input.toDatetime}'`,
      )
    }
    return { kind: 'datetime', at }
  }
  if (input.byDuration !== undefined) {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(input.byDuration.trim())
    if (!match) {
      throw new ResetTargetError(
        `by-duration needs a duration such as 30m, 2h or 7d, got '${input.byDuration}'`,
      )
    }
    return { kind: 'duration', agoMs: Number(match[1]) * durationUnits[match[2]!]! }
  }
  const text = input.toOffset ?? ''
  if (!/^\d+$/.test(text)) throw new ResetTargetError(`to-offset needs a whole number >= 0, got '${text}'`)
  return { kind: 'offset', offset: BigInt(text) }
}

export function describeTarget(target: ResetTarget): string {
  if (target.kind === 'datetime') return `datetime ${target.at.toISOString()}`
  if (target.kind === 'duration') return `${target.agoMs} ms ago`
  if (target.kind === 'offset') return `offset ${target.offset}`
  return target.kind
}

export interface ResetPlan {
  readonly groupId: string
  readonly target: string
  readonly partitions: ReadonlyArray<{
    readonly topic: string
    readonly partition: number
    /** The committed offset now; null when the group has none. */
    readonly from: string | null
    readonly to: string
    /** Why `to` differs from what was asked (an offset outside the partition is clamped). */
    readonly note?: string
  }>
}

function refuseLiveMembers(groupId: string, members: readonly GroupMember[]): void {
  if (members.length === 0) return
  const names = members.map((member) => `${member.clientId}@${member.host} (${member.memberId})`)
  throw new GroupActiveError(
    `consumer group '${groupId}' has ${members.length} live member(s): ${names.join(', ')}; stop them before resetting its offsets`,
    { context: { groupId } },
  )
}

/**
 * The new committed offset of every partition of the group's topics (or of `topics`), without
 * changing anything. Refuses while the group has live members: they would overwrite the reset
 * with their next commit, as Kafka's own tool refuses.
 */
export async function planReset(
  admin: Admin,
  groupId: string,
  target: ResetTarget,
  topics?: readonly string[],
): Promise<ResetPlan> {
  const group = await describeGroup(admin, groupId)
  refuseLiveMembers(groupId, group.members)
  const chosen =
    topics && topics.length > 0 ? [...topics] : [...new Set(group.partitions.map((p) => p.topic))]
  const partitions: Array<ResetPlan['partitions'][number]> = []
  for (const topic of chosen.sort()) {
    const ends = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition)
    const byTime =
      target.kind === 'datetime' || target.kind === 'duration'
        ? await admin.fetchTopicOffsetsByTimestamp(
            topic,
            target.kind === 'datetime' ? target.at.getTime() : Date.now() - target.agoMs,
          )
        : []
    for (const { partition, low, high } of ends) {
      const from =
        group.partitions.find((p) => p.topic === topic && p.partition === partition)?.committed ?? null
      let to: string
      let note: string | undefined
      if (target.kind === 'earliest') to = low
      else if (target.kind === 'latest') to = high
      else if (target.kind === 'offset') {
        const wanted = target.offset
        to = wanted < BigInt(low) ? low : wanted > BigInt(high) ? high : String(wanted)
        if (to !== String(wanted)) note = `offset ${wanted} is outside ${low}..${high}: clamped`
      } else {
        // No record at or after the time: the end of the partition (Kafka answers -1).
        const found = byTime.find((entry) => entry.partition === partition)?.offset
        to = found === undefined || found === '-1' ? high : found
      }
      partitions.push({ topic, partition, from, to, ...(note ? { note } : {}) })
    }
  }
  return { groupId, target: describeTarget(target), partitions }
}

/** Commits a plan's offsets for the group, checking again that no member joined meanwhile. */
export async function applyReset(admin: Admin, plan: ResetPlan): Promise<void> {
  const {
    groups: [group],
  } = await admin.describeGroups([plan.groupId])
  refuseLiveMembers(plan.groupId, membersOf(group))
  for (const topic of new Set(plan.partitions.map((entry) => entry.topic))) {
    await admin.setOffsets({
      groupId: plan.groupId,
      topic,
      partitions: plan.partitions
        .filter((entry) => entry.topic === topic)
        .map((entry) => ({ partition: entry.partition, offset: entry.to })),
    })
  }
}
