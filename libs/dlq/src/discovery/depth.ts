import type { Admin, Kafka } from 'kafkajs'
import { forEachConcurrently } from '#libs/kafka'
import { scanRanges } from '../read/scan.ts'
import { deadLetterTopicNames } from './list.ts'

/** Dead-letter topics measured at once. */
const topicConcurrency = 4

/** A dead-letter topic's depth and the timestamp of its oldest record (epoch ms). */
export interface DeadLetterDepth {
  readonly topic: string
  /** High minus low watermark, summed over partitions (transaction markers included, as `dlq list`). */
  readonly depth: number
  readonly oldestAt: number | undefined
}

interface OldestEntry {
  readonly low: string
  readonly high: string
  readonly at: number | undefined
}

/**
 * Measures every dead-letter topic cheaply enough for a timer: depth from the watermarks alone,
 * the oldest record from one read per partition whose low watermark moved. A record below the low
 * watermark is gone, the one at it never changes, so the read is cached by (partition, low); a
 * partition that held only transaction markers or aborted records is read again when it grows.
 * `dlq list` reads every record instead, which is what its error-class counts need.
 */
export class DeadLetterDepthMeter {
  readonly #kafka: Kafka
  readonly #oldest = new Map<string, Map<number, OldestEntry>>()

  constructor(kafka: Kafka) {
    this.#kafka = kafka
  }

  async measure(admin: Admin): Promise<DeadLetterDepth[]> {
    const names = await deadLetterTopicNames(this.#kafka, await admin.listTopics())
    for (const gone of [...this.#oldest.keys()].filter((topic) => !names.includes(topic))) {
      this.#oldest.delete(gone)
    }
    const measured = new Map<string, DeadLetterDepth>()
    const measureTopic = async (topic: string) => {
      // A topic deleted between the listing and here is left out.
      const bounds = await admin.fetchTopicOffsets(topic).catch(() => undefined)
      if (!bounds) return
      const depth = bounds.reduce((sum, bound) => sum + Number(BigInt(bound.high) - BigInt(bound.low)), 0)
      const oldest = await this.#oldestOf(topic, bounds)
      measured.set(topic, { topic, depth, oldestAt: oldest })
    }
    // A few topics at a time: the first round reads the oldest record of every dead-letter topic
    // of the cluster, one throw-away consumer each.
    await forEachConcurrently(names, topicConcurrency, measureTopic)
    return names.flatMap((topic) => measured.get(topic) ?? [])
  }

  async #oldestOf(
    topic: string,
    bounds: ReadonlyArray<{ partition: number; low: string; high: string }>,
  ): Promise<number | undefined> {
    const cached = this.#oldest.get(topic) ?? new Map<number, OldestEntry>()
    this.#oldest.set(topic, cached)
    const stale = bounds.filter((bound) => {
      if (BigInt(bound.high) <= BigInt(bound.low)) return false
      const entry = cached.get(bound.partition)
      return !entry || entry.low !== bound.low || (entry.at === undefined && entry.high !== bound.high)
    })
    for (const bound of bounds) {
      if (BigInt(bound.high) <= BigInt(bound.low)) cached.delete(bound.partition)
    }
    if (stale.length > 0) {
      const found = new Map<number, number>()
      await scanRanges(
        this.#kafka,
        topic,
        stale.map((bound) => ({ partition: bound.partition, from: bound.low, to: bound.high })),
        {
          onRecords: (partition, records) => {
            const first = records[0]
            if (first && !found.has(partition)) found.set(partition, Number(first.timestamp))
            return found.size < stale.length
          },
        },
      )
      for (const bound of stale) {
        cached.set(bound.partition, { low: bound.low, high: bound.high, at: found.get(bound.partition) })
      }
    }
    const times = [...cached.values()].flatMap((entry) => (entry.at === undefined ? [] : [entry.at]))
    return times.length === 0 ? undefined : Math.min(...times)
  }
}
