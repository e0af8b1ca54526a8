import { randomBytes } from 'node:crypto'
import { DlqReadTimeoutError } from '@event-backbone/errors'
import type { Kafka } from 'kafkajs'
import { idPrefix } from '#libs/kafka'
import { type RawRecord, rawRecord } from './dlt-record.ts'

/** Offsets `from` (inclusive) to `to` (exclusive) of one partition. */
export interface PartitionRange {
  readonly partition: number
  readonly from: string
  readonly to: string
}

export interface ScanControl {
  /** Keeps the group membership alive during long work inside `onRecords`. */
  heartbeat(): Promise<void>
}

export interface ScanOptions {
  /** Called once per fetched batch with the records of the range, in offset order. Return false to stop. */
  readonly onRecords: (
    partition: number,
    records: RawRecord[],
    control: ScanControl,
  ) => Promise<boolean | undefined> | boolean | undefined
  /** Called after each batch with the last offset reached (also for batches of only transaction markers). */
  readonly onPosition?: (partition: number, lastOffset: string) => void | Promise<void>
  /** Fail when nothing moves for this long. Default 30 000 ms. */
  readonly stallMs?: number
  readonly maxBytesPerPartition?: number
  /** Ends the scan early (a request's time budget): it returns with what was read so far. */
  readonly signal?: AbortSignal
}

/**
 * Reads fixed offset ranges of a topic read_committed and returns when every range is covered.
 * kafkajs has no `assign()`, so this joins a throw-away group that never commits and seeks each
 * partition; partitions outside the ranges stay paused. The end of a range is detected from the
 * batch positions kafkajs reports, including batches that held only transaction markers.
 */
export async function scanRanges(
  kafka: Kafka,
  topic: string,
  ranges: readonly PartitionRange[],
  options: ScanOptions,
): Promise<void> {
  // Joining can fail retriably before anything was read (a fresh broker's group coordinator is
  // still loading): start again then. Once records were handed out, a failure is the caller's.
  let delivered = false
  const tracked: ScanOptions = {
    ...options,
    onRecords: (partition, records, control) => {
      delivered = true
      return options.onRecords(partition, records, control)
    },
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await scanOnce(kafka, topic, ranges, tracked)
    } catch (error) {
      const retriable = (error as { retriable?: unknown }).retriable === true
      if (delivered || !retriable || attempt >= 5) throw error
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
  }
}

async function scanOnce(
  kafka: Kafka,
  topic: string,
  ranges: readonly PartitionRange[],
  options: ScanOptions,
): Promise<void> {
  const wanted = ranges.filter((range) => BigInt(range.from) < BigInt(range.to))
  if (wanted.length === 0) return
  const byPartition = new Map(wanted.map((range) => [range.partition, range]))
  const remaining = new Set(byPartition.keys())
  const consumer = kafka.consumer({
    groupId: `${idPrefix.dlqReaderGroup}${randomBytes(8).toString('hex')}`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  })
  let lastMove = Date.now()
  let settle: (error?: unknown) => void = () => {}
  const finished = new Promise<void>((resolve, reject) => {
    settle = (error?: unknown) => (error === undefined ? resolve() : reject(error))
  })
  const reached = async (partition: number, lastOffset: string) => {
    lastMove = Date.now()
    const range = byPartition.get(partition)
    if (!range || !remaining.has(partition)) return
    await options.onPosition?.(partition, lastOffset)
    if (BigInt(lastOffset) + 1n >= BigInt(range.to)) {
      remaining.delete(partition)
      consumer.pause([{ topic, partitions: [partition] }])
      if (remaining.size === 0) settle()
    }
  }
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    const { partition, lastOffset } = event.payload as { partition: number; lastOffset: string }
    void reached(partition, lastOffset).catch(settle)
  })
  // kafkajs restarts the consumer itself after retriable errors (a coordinator still loading).
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) settle(event.payload.error)
  })
  const watchdog = setInterval(() => {
    const stallMs = options.stallMs ?? 30_000
    if (Date.now() - lastMove > stallMs) {
      settle(
        new DlqReadTimeoutError(`reading ${topic} made no progress for ${stallMs} ms`, {
          context: { topic, partitions: [...remaining] },
        }),
      )
    }
  }, 500)
  const abort = () => settle()
  options.signal?.addEventListener('abort', abort, { once: true })
  if (options.signal?.aborted) settle()
  try {
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      lastMove = Date.now()
      const assigned = (event.payload.memberAssignment[topic] ?? []) as number[]
      const idle = assigned.filter((partition) => !remaining.has(partition))
      if (idle.length > 0) consumer.pause([{ topic, partitions: idle }])
    })
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
        const range = byPartition.get(batch.partition)
        if (!range || !remaining.has(batch.partition)) return
        const from = BigInt(range.from)
        const to = BigInt(range.to)
        const messages = batch.messages
        // Offsets ascend within a batch: compare per record only when the batch crosses an end.
        const first = messages[0]
        const last = messages[messages.length - 1]
        const inside =
          first !== undefined &&
          last !== undefined &&
          BigInt(first.offset) >= from &&
          BigInt(last.offset) < to
        const records = (
          inside
            ? messages
            : messages.filter((message) => BigInt(message.offset) >= from && BigInt(message.offset) < to)
        ).map((message) => rawRecord(topic, batch.partition, message))
        if (records.length > 0 && isRunning() && !isStale()) {
          lastMove = Date.now()
          const alive = async () => {
            lastMove = Date.now()
            await heartbeat()
          }
          const more = await options.onRecords(batch.partition, records, { heartbeat: alive })
          if (more === false) settle()
        }
      },
    })
    for (const range of wanted) consumer.seek({ topic, partition: range.partition, offset: range.from })
    await finished
  } finally {
    clearInterval(watchdog)
    options.signal?.removeEventListener('abort', abort)
    await consumer.disconnect().catch(() => {})
  }
}

/** Low and high watermarks of every partition of `topic`. */
export async function topicBounds(
  kafka: Kafka,
  topic: string,
): Promise<{ partition: number; low: string; high: string }[]> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const offsets = await admin.fetchTopicOffsets(topic)
    return offsets
      .map((entry) => ({ partition: entry.partition, low: entry.low, high: entry.high }))
      .sort((a, b) => a.partition - b.partition)
  } finally {
    await admin.disconnect()
  }
}
