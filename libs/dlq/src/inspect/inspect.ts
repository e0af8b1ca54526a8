import type { EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import { requireDeadLetterTopic } from '../discovery/list.ts'
import { headersAsText, type RawRecord } from '../read/dlt-record.ts'
import { type PartitionRange, scanRanges, topicBounds } from '../read/scan.ts'
import {
  matchesDecoded,
  matchesRaw,
  rangesFor,
  requireDecoderFor,
  type Selection,
} from '../select/selection.ts'
import { type Decoded, decodeValue, type ShownBytes, show } from './decode.ts'

export interface InspectedRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly timestamp: string
  readonly key: ShownBytes
  readonly value: ShownBytes
  readonly headers: Record<string, string>
}

export interface InspectPage {
  readonly topic: string
  readonly records: InspectedRecord[]
  /** Where the next page starts, per partition; absent when every partition was read to its end. */
  readonly next?: { partition: number; offset: string }[]
  /** Records read to fill this page (matching or not). */
  readonly scanned: number
}

/**
 * Applies a selection to a record: the cheap header conditions first, the decoded-field predicates
 * only when they pass (decoding needs the registry).
 */
export async function selectRecord(
  selection: Selection,
  serde: EventSerde | undefined,
  record: RawRecord,
): Promise<{ matches: boolean; decoded?: Decoded }> {
  if (!matchesRaw(selection, record)) return { matches: false }
  if (!selection.where || selection.where.length === 0) return { matches: true }
  const decoded = await decodeValue(serde, record.value)
  return { matches: matchesDecoded(selection, decoded), decoded }
}

export async function inspectRecord(serde: EventSerde | undefined, record: RawRecord, decoded?: Decoded) {
  const value = decoded ?? (await decodeValue(serde, record.value))
  const key = await decodeValue(serde, record.key)
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: show(record.key, key),
    value: show(record.value, value),
    headers: headersAsText(record.headers),
  } satisfies InspectedRecord
}

/**
 * A page of matching records: partitions in order, from the selection's start (or `after`, the
 * `next` of the previous page) up to `limit` records.
 */
export async function inspect(options: {
  readonly kafka: Kafka
  readonly serde?: EventSerde
  readonly topic: string
  readonly selection?: Selection
  readonly limit?: number
  readonly after?: readonly { partition: number; offset: string }[]
}): Promise<InspectPage> {
  const selection = options.selection ?? {}
  const limit = Math.max(1, Math.min(options.limit ?? 50, 1_000))
  requireDecoderFor(selection, options.serde)
  await requireDeadLetterTopic(options.kafka, options.topic)
  const bounds = await topicBounds(options.kafka, options.topic)
  let ranges: PartitionRange[] = rangesFor(selection, bounds)
  if (options.after) {
    const after = new Map(options.after.map((entry) => [entry.partition, BigInt(entry.offset)]))
    ranges = ranges
      .map((range) => {
        const start = after.get(range.partition)
        if (start === undefined) return range
        return { ...range, from: String(start > BigInt(range.from) ? start : BigInt(range.from)) }
      })
      .filter((range) => BigInt(range.from) < BigInt(range.to))
  }
  const records: InspectedRecord[] = []
  let scanned = 0
  const next: { partition: number; offset: string }[] = []
  // One partition at a time keeps pages in a stable order and lets a full page stop early.
  for (const range of ranges.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.from) - BigInt(b.from)),
  )) {
    if (records.length >= limit) {
      next.push({ partition: range.partition, offset: range.from })
      continue
    }
    let stoppedAt: string | undefined
    await scanRanges(options.kafka, options.topic, [range], {
      onRecords: async (_partition, batch) => {
        for (const record of batch) {
          if (records.length >= limit) {
            stoppedAt = record.offset
            return false
          }
          scanned += 1
          const selected = await selectRecord(selection, options.serde, record)
          if (selected.matches) records.push(await inspectRecord(options.serde, record, selected.decoded))
        }
        return true
      },
    })
    if (stoppedAt !== undefined) next.push({ partition: range.partition, offset: stoppedAt })
  }
  return { topic: options.topic, records, scanned, ...(next.length > 0 ? { next } : {}) }
}
