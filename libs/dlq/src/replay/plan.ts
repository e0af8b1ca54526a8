import { randomUUID } from 'node:crypto'
import { DlqSelectionError, DlqTargetError } from '@event-backbone/errors'
import type { Kafka } from 'kafkajs'
import { retryTopicName } from '#libs/kafka'
import { ownerOf, requireDeadLetterTopic } from '../discovery/list.ts'
import { scanRanges, topicBounds } from '../read/scan.ts'
import { rangesFor, type Selection, validateSelection } from '../select/selection.ts'
import { ReplayTarget } from './headers.ts'
import type { ReplayJobSpec } from './job.ts'

export interface ReplayRequest {
  readonly topic: string
  readonly selection?: Selection
  /** Default `retry`: the failing group's first retry topic. `original` must be asked for. */
  readonly target?: ReplayTarget
  readonly ratePerSecond?: number
  readonly by: string
}

async function owner(
  kafka: Kafka,
  topic: string,
  bounds: { partition: number; low: string; high: string }[],
) {
  let found: { group: string; sourceTopic: string } | undefined
  await scanRanges(
    kafka,
    topic,
    bounds.map((bound) => ({ partition: bound.partition, from: bound.low, to: bound.high })),
    {
      // Usually the first record tells: no need to fetch (and decode) megabytes for it.
      maxBytesPerPartition: 256 * 1024,
      onRecords: (_partition, records) => {
        for (const record of records) {
          found ??= ownerOf(topic, record)
          if (found) return false
        }
        return true
      },
    },
  )
  return found
}

/**
 * Fixes what a job will do: the dead-letter offsets it covers (up to the topic's end now), the
 * group and source topic (from the records' headers, confirmed by the naming rule) and the target
 * topic, which must exist: a group without retry tiers has no retry topic, so the operator has to
 * choose the original topic explicitly.
 */
export async function planReplay(kafka: Kafka, request: ReplayRequest): Promise<ReplayJobSpec> {
  await requireDeadLetterTopic(kafka, request.topic)
  const selection = validateSelection(request.selection ?? {})
  const target = request.target ?? ReplayTarget.retry
  if (!Object.values(ReplayTarget).includes(target)) {
    throw new DlqSelectionError(`target needs to be "retry" or "original", not ${JSON.stringify(target)}`)
  }
  const rate = request.ratePerSecond
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
    throw new DlqSelectionError(`ratePerSecond needs to be a positive number, not ${rate}`)
  }
  const bounds = await topicBounds(kafka, request.topic)
  const found = await owner(kafka, request.topic, bounds)
  if (!found) {
    throw new DlqTargetError(
      `${request.topic} holds no record whose eb.group and eb.original.topic headers name it; cannot tell the failing group`,
      { context: { topic: request.topic } },
    )
  }
  const targetTopic =
    target === ReplayTarget.retry ? retryTopicName(found.group, found.sourceTopic, 1) : found.sourceTopic
  const admin = kafka.admin()
  await admin.connect()
  try {
    if (!(await admin.listTopics()).includes(targetTopic)) {
      throw new DlqTargetError(
        target === ReplayTarget.retry
          ? `group ${found.group} has no retry topic ${targetTopic} (no retry tiers?); replay to the original topic explicitly`
          : `the original topic ${targetTopic} does not exist`,
        { context: { topic: targetTopic } },
      )
    }
  } finally {
    await admin.disconnect()
  }
  return {
    id: randomUUID(),
    topic: request.topic,
    group: found.group,
    sourceTopic: found.sourceTopic,
    target,
    targetTopic,
    selection,
    ranges: rangesFor(selection, bounds),
    ratePerSecond: rate,
    createdBy: request.by,
    createdAt: Date.now(),
  }
}
