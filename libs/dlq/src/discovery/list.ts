import { DlqTopicNotFoundError } from '@event-backbone/errors'
import type { Kafka } from 'kafkajs'
import { deadLetterTopicName, Header, topicSuffix } from '#libs/kafka'
import { headerText, type RawRecord } from '../read/dlt-record.ts'
import { scanRanges, topicBounds } from '../read/scan.ts'

export const deadLetterSuffix = topicSuffix.deadLetter

export interface DeadLetterTopic {
  readonly topic: string
  /** From the records' `eb.group` header, confirmed by the naming rule; for an empty topic from its name when unambiguous. */
  readonly group: string | undefined
  /** From the records' `eb.original.topic` header, confirmed by the naming rule. */
  readonly sourceTopic: string | undefined
  readonly partitions: number
  /** Records the topic holds (high − low watermark, summed; transaction markers included). */
  readonly depth: number
  /** Records read (read_committed), which the counts and ages below come from. */
  readonly scanned: number
  readonly oldestAt: number | undefined
  readonly newestAt: number | undefined
  readonly oldestAgeMs: number | undefined
  readonly newestAgeMs: number | undefined
  readonly errorClasses: Record<string, number>
  /**
   * Why reading the records failed (a scan that timed out on a loaded cluster, a refused group):
   * depth and partitions still hold, the fields read from records do not. Absent when the scan worked.
   */
  readonly scanError?: string
}

async function allTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    return await admin.listTopics()
  } finally {
    await admin.disconnect()
  }
}

/** `*.dlt` topics, without Kafka's and the backbone's own internal topics. */
export async function deadLetterTopicNames(kafka: Kafka, topics?: readonly string[]): Promise<string[]> {
  return (topics ?? (await allTopics(kafka)))
    .filter((topic) => topic.endsWith(deadLetterSuffix) && !topic.startsWith('__'))
    .sort()
}

/**
 * Group and source topic read from the name `<group>.<topic>.dlt` alone, for a topic without
 * records to say it: both may hold dots, so a split counts only when its source topic exists and
 * the naming rule gives back the name, and the answer only when exactly one split does.
 */
export function ownerFromName(
  topic: string,
  existing: readonly string[],
): { group: string; sourceTopic: string } | undefined {
  const stem = topic.slice(0, -deadLetterSuffix.length)
  const candidates: Array<{ group: string; sourceTopic: string }> = []
  for (let dot = stem.indexOf('.'); dot > 0; dot = stem.indexOf('.', dot + 1)) {
    const group = stem.slice(0, dot)
    const sourceTopic = stem.slice(dot + 1)
    try {
      if (existing.includes(sourceTopic) && deadLetterTopicName(group, sourceTopic) === topic) {
        candidates.push({ group, sourceTopic })
      }
    } catch {
      // not a valid split
    }
  }
  return candidates.length === 1 ? candidates[0] : undefined
}

export async function requireDeadLetterTopic(kafka: Kafka, topic: string): Promise<void> {
  if (!topic.endsWith(deadLetterSuffix) || !(await deadLetterTopicNames(kafka)).includes(topic)) {
    throw new DlqTopicNotFoundError(`no dead-letter topic named ${JSON.stringify(topic)}`, {
      context: { topic },
    })
  }
}

/**
 * Group and source topic of a dead-letter topic: taken from a record's headers, accepted only
 * when the naming rule gives back this topic's name (a record whose headers name a retry topic,
 * as after a control-header failure, does not count).
 */
export function ownerOf(
  topic: string,
  record: RawRecord,
): { group: string; sourceTopic: string } | undefined {
  const group = headerText(record.headers, Header.group)
  const sourceTopic = headerText(record.headers, Header.originalTopic)
  if (group === undefined || sourceTopic === undefined) return undefined
  try {
    return deadLetterTopicName(group, sourceTopic) === topic ? { group, sourceTopic } : undefined
  } catch {
    return undefined
  }
}

/** One topic's summary: reads every record once (headers only matter), so it costs a full scan. */
export async function describeDeadLetterTopic(
  kafka: Kafka,
  topic: string,
  now = Date.now(),
  existing?: readonly string[],
): Promise<DeadLetterTopic> {
  const bounds = await topicBounds(kafka, topic)
  const depth = bounds.reduce((sum, bound) => sum + Number(BigInt(bound.high) - BigInt(bound.low)), 0)
  let owner: { group: string; sourceTopic: string } | undefined
  let scanned = 0
  let oldestAt: number | undefined
  let newestAt: number | undefined
  const errorClasses: Record<string, number> = {}
  let scanError: string | undefined
  // The topic exists (its bounds were read): a failed scan must not hide it from the operator.
  await scanRanges(
    kafka,
    topic,
    bounds.map((bound) => ({ partition: bound.partition, from: bound.low, to: bound.high })),
    {
      onRecords: (_partition, records) => {
        for (const record of records) {
          scanned += 1
          owner ??= ownerOf(topic, record)
          const time = Number(record.timestamp)
          if (oldestAt === undefined || time < oldestAt) oldestAt = time
          if (newestAt === undefined || time > newestAt) newestAt = time
          const errorClass = headerText(record.headers, Header.errorClass) ?? 'unknown'
          errorClasses[errorClass] = (errorClasses[errorClass] ?? 0) + 1
        }
        return true
      },
    },
  ).catch((error: unknown) => {
    scanError = error instanceof Error ? error.message : String(error)
  })
  owner ??= ownerFromName(topic, existing ?? (await allTopics(kafka)))
  return {
    topic,
    group: owner?.group,
    sourceTopic: owner?.sourceTopic,
    partitions: bounds.length,
    depth,
    scanned,
    oldestAt,
    newestAt,
    oldestAgeMs: oldestAt === undefined ? undefined : now - oldestAt,
    newestAgeMs: newestAt === undefined ? undefined : now - newestAt,
    errorClasses,
    ...(scanError === undefined ? {} : { scanError }),
  }
}

/** Every dead-letter topic with its summary. `filter` narrows by name substring. */
export async function listDeadLetterTopics(
  kafka: Kafka,
  options: { filter?: string } = {},
): Promise<DeadLetterTopic[]> {
  const existing = await allTopics(kafka)
  const names = (await deadLetterTopicNames(kafka, existing)).filter(
    (name) => options.filter === undefined || name.includes(options.filter),
  )
  const now = Date.now()
  const out: DeadLetterTopic[] = []
  for (const name of names) {
    // A topic deleted while the list is made (its bounds cannot be read) is left out rather than
    // failing the whole list; a topic whose records could not be read is listed with `scanError`.
    const described = await describeDeadLetterTopic(kafka, name, now, existing).catch(() => undefined)
    if (described) out.push(described)
  }
  return out
}
