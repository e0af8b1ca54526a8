import type { EventSerde } from '@event-backbone/serde'
import type { Admin, Kafka } from 'kafkajs'
import {
  decodeValue,
  headersAsText,
  matchesDecoded,
  type PartitionRange,
  type RawRecord,
  type ShownBytes,
  scanRanges,
  show,
} from '#libs/dlq'
import { BrowseMode, type BrowseQuery, BrowseQueryError, browseBounds } from './browse-query.ts'

export interface BrowsedRecord {
  readonly partition: number
  readonly offset: string
  readonly timestamp: string
  readonly key: ShownBytes
  /** Avro decoded with its writer schema; else text or base64, with `error` saying why it did not decode. */
  readonly value: ShownBytes
  readonly headers: Record<string, string>
}

export interface BrowsePage {
  readonly topic: string
  readonly mode: BrowseMode
  /** The offsets this request was allowed to read: the bound an operator sees next to the results. */
  readonly ranges: readonly PartitionRange[]
  readonly bounds: typeof browseBounds
  readonly scanned: number
  readonly records: readonly BrowsedRecord[]
  /** Why reading ended before the ranges did: enough matches, or the time budget. */
  readonly stopped?: 'limit' | 'timeout'
  /** Offset mode: where the next page starts. */
  readonly next?: { readonly partition: number; readonly offset: string }
}

export class BrowseTopicNotFound extends Error {
  readonly statusCode = 404
  constructor(topic: string) {
    // A secured cluster hides the topics a principal may not describe: say so rather than guess.
    super(`topic ${JSON.stringify(topic)} does not exist, or the console's principal may not see it`)
    this.name = 'BrowseTopicNotFound'
  }
}

/** The broker refused the console's principal (a secured cluster that grants it no READ here). */
export class BrowseNotAuthorized extends Error {
  readonly statusCode = 403
  constructor(topic: string, cause: unknown) {
    super(`the console's principal may not read topic ${JSON.stringify(topic)} (docs/console.md, "Access")`, {
      cause,
    })
    this.name = 'BrowseNotAuthorized'
  }
}

function authorizationFailure(error: unknown): boolean {
  return /AUTHORIZATION_FAILED/.test(String((error as { type?: unknown }).type ?? ''))
}

type Bound = { partition: number; low: string; high: string }

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b)
const minOf = (a: bigint, b: bigint) => (a < b ? a : b)

/** The offsets a query may read, per partition, within the scan budget. */
async function rangesFor(
  admin: Admin,
  topic: string,
  query: BrowseQuery,
  bounds: Bound[],
): Promise<PartitionRange[]> {
  const chosen =
    query.partition === undefined ? bounds : bounds.filter((b) => b.partition === query.partition)
  const perPartition = BigInt(Math.floor(browseBounds.maxScan / Math.max(1, chosen.length)))
  const range = (bound: Bound, from: bigint, to: bigint): PartitionRange => {
    const start = maxOf(BigInt(bound.low), from)
    const end = minOf(BigInt(bound.high), to)
    return { partition: bound.partition, from: String(start), to: String(maxOf(end, start)) }
  }
  switch (query.mode) {
    case BrowseMode.offset:
      return chosen.map((b) =>
        range(b, BigInt(query.offset ?? '0'), BigInt(query.offset ?? '0') + perPartition),
      )
    case BrowseMode.timestamp: {
      const found = await admin.fetchTopicOffsetsByTimestamp(topic, query.timestamp)
      return chosen.map((b) => {
        const at = found.find((entry) => entry.partition === b.partition)?.offset
        // -1: no record at or after the time in this partition.
        const from = at === undefined || BigInt(at) < 0n ? BigInt(b.high) : BigInt(at)
        return range(b, from, from + perPartition)
      })
    }
    case BrowseMode.key: {
      const window = minOf(BigInt(query.window), perPartition)
      return chosen.map((b) => range(b, BigInt(b.high) - window, BigInt(b.high)))
    }
    default: {
      const window = minOf(BigInt(query.limit), perPartition)
      return chosen.map((b) => range(b, BigInt(b.high) - window, BigInt(b.high)))
    }
  }
}

async function matching(
  serde: EventSerde | undefined,
  query: BrowseQuery,
  record: RawRecord,
): Promise<BrowsedRecord | undefined> {
  if (query.key !== undefined && (record.key === null || record.key.toString('utf8') !== query.key))
    return undefined
  const decoded = await decodeValue(serde, record.value)
  if (query.where && !matchesDecoded({ where: [query.where] }, decoded)) return undefined
  const browsed: BrowsedRecord = {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: show(record.key),
    value: show(record.value, decoded),
    headers: headersAsText(record.headers),
  }
  if (query.text !== undefined) {
    const shown = JSON.stringify([
      browsed.key.text ?? browsed.key.value,
      browsed.value.value ?? browsed.value.text,
    ])
    if (!shown.toLowerCase().includes(query.text)) return undefined
  }
  return browsed
}

/**
 * Reads one topic as an operator asks: the newest records, from an offset, from a time, or the
 * records of a key among the last `scan` of each partition; decoded with the serde, filtered by a
 * field predicate or a substring. Never reads more than the scan budget nor longer than the timeout.
 */
export async function browse(options: {
  readonly kafka: Kafka
  readonly admin: Admin
  readonly serde: EventSerde | undefined
  readonly topic: string
  readonly query: BrowseQuery
  readonly timeoutMs?: number
}): Promise<BrowsePage> {
  const { admin, topic, query } = options
  if (!(await admin.listTopics()).includes(topic)) throw new BrowseTopicNotFound(topic)
  const bounds = (await admin.fetchTopicOffsets(topic))
    .map((b) => ({ partition: b.partition, low: b.low, high: b.high }))
    .sort((a, b) => a.partition - b.partition)
  if (query.partition !== undefined && !bounds.some((b) => b.partition === query.partition))
    throw new BrowseQueryError(
      'partition',
      `${query.partition} does not exist; ${topic} has ${bounds.length}`,
    )
  const ranges = await rangesFor(admin, topic, query, bounds)
  // The newest matches are what "latest" and a key search are about; otherwise the first from the start.
  const newestFirst = query.mode === BrowseMode.latest || query.mode === BrowseMode.key
  const found: BrowsedRecord[] = []
  let scanned = 0
  let stopped: BrowsePage['stopped']
  const timeoutMs = options.timeoutMs ?? browseBounds.timeoutMs
  const signal = AbortSignal.timeout(timeoutMs)
  signal.addEventListener('abort', () => {
    stopped ??= 'timeout'
  })
  const reading = scanRanges(options.kafka, topic, ranges, {
    signal,
    stallMs: timeoutMs + 5_000,
    onRecords: async (_partition, records) => {
      for (const record of records) {
        if (signal.aborted) return false
        scanned++
        const browsed = await matching(options.serde, query, record)
        if (browsed) found.push(browsed)
        if (!newestFirst && found.length >= query.limit) {
          stopped = 'limit'
          return false
        }
      }
      return true
    },
  })
  await reading.catch((error: unknown) => {
    throw authorizationFailure(error) ? new BrowseNotAuthorized(topic, error) : error
  })
  const order = (a: BrowsedRecord, b: BrowsedRecord) =>
    Number(a.timestamp) - Number(b.timestamp) ||
    a.partition - b.partition ||
    Number(BigInt(a.offset) - BigInt(b.offset))
  const records = newestFirst ? found.sort(order).slice(-query.limit).reverse() : found.sort(order)
  const last = records[records.length - 1]
  const range = ranges[0]
  const next =
    query.mode === BrowseMode.offset && range
      ? stopped === 'limit' && last
        ? { partition: last.partition, offset: String(BigInt(last.offset) + 1n) }
        : BigInt(range.to) > BigInt(range.from) &&
            BigInt(range.to) < BigInt(bounds.find((b) => b.partition === range.partition)?.high ?? '0')
          ? { partition: range.partition, offset: range.to }
          : undefined
      : undefined
  return {
    topic,
    mode: query.mode,
    ranges,
    bounds: browseBounds,
    scanned,
    records,
    ...(stopped ? { stopped } : {}),
    ...(next ? { next } : {}),
  }
}
