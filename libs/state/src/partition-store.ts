import { type Kafka, Partitioners, type Producer } from 'kafkajs'
import type { HandlerContext, PartitionHooks } from '#libs/consumer'
import { TopicFamily } from '#libs/kafka'
import { type Horizon, retentionMsFor, segmentMsFor, WriteTimes } from './horizon.ts'
import { LazyValues } from './lazy-values.ts'
import { type ChangelogVisitor, scanPartition } from './read-partition.ts'

/** Reserved changelog key: the last input offset whose effects the changelog holds. */
export const APPLIED_KEY = '\u0000applied'

export interface ValueCodec<V> {
  encode(value: V): Buffer
  decode(bytes: Buffer): V
}

export interface PartitionStoreOptions<V> {
  readonly kafka: Kafka
  readonly groupId: string
  /** The compacted changelog topic, partitioned like the input topic (see `changelogTopicSpec`). */
  readonly changelogTopic: string
  readonly codec: ValueCodec<V>
  readonly restoreTimeoutMs?: number
  /**
   * Keep a key only this long after its last write: older keys are dropped from memory as records
   * arrive and skipped on restore. The changelog should then be `compact,delete` with a matching
   * retention (`changelogTopicSpec(..., { horizonMs })`). Without it, keys live until deleted.
   */
  readonly horizon?: Horizon
  /** Scans a changelog partition; the default is `scanPartition` (unit tests pass a fake). */
  readonly read?: (topic: string, partition: number, visit: ChangelogVisitor) => Promise<void>
  readonly onRestore?: (info: RestoreInfo) => void
}

/** What one restore did, for logs and metrics. */
export interface RestoreInfo {
  /** The input (and changelog) partition restored. */
  readonly partition: number
  /** Keys in memory after the restore. */
  readonly keys: number
  /** Changelog records read (fence records aside), the size of the history the restore paid for. */
  readonly records: number
  /** Records skipped because they were written before the horizon. */
  readonly expired: number
  /** From the first record's request to the state in memory, the changelog read included. */
  readonly durationMs: number
}

interface Slot<V> {
  readonly values: Map<string, V>
  /** Last write time per key, with a horizon only. */
  readonly times: WriteTimes | undefined
  applied: bigint
}

/** What `apply` did with a record. */
export type Applied = 'applied' | 'unchanged' | 'redelivered'

/** A record's changes: keys to set, or with null to delete. */
export type Changes<V> = Iterable<readonly [string, V | null]>

/**
 * Per-partition state for an exactly-once handler, backed by a changelog topic that is written in
 * the input's transaction (`put` emits through `ctx.emit`, to the input's partition number), the
 * approach of Kafka Streams' state stores.
 *
 * The in-memory copy of a partition is trusted only while nothing can have changed behind it: the
 * runtime tells the store through its partition hooks (`hooks`, declared on the subscription:
 * `subscription({ ..., hooks: store.hooks })`). A partition is forgotten when it is assigned after a
 * group join (it may have been someone else's meanwhile), when it is revoked, and when it is
 * rewound (an aborted transaction's records come again, so the memory holds effects that never
 * committed); the next record restores it from the changelog. The restore runs inside the handler,
 * after the runtime's transactional producer for the partition fenced the previous owner, so the
 * changelog partition has no open transaction: its committed end is the state matching the
 * committed input offset.
 *
 * The changelog also records the last input offset applied (`markApplied`), written in the same
 * transaction: a record at or below it was applied and committed already, and `isApplied` lets
 * the handler skip it if the runtime delivers it again (kafkajs may fetch a committed offset that
 * predates the last transaction's markers, without KIP-447's stable-offset fetch).
 *
 * Only one transactional id may write a changelog partition: subscriptions using a store must not
 * have retry topics (their records run under another transactional id).
 */
export class PartitionStore<V> {
  readonly #options: PartitionStoreOptions<V>
  readonly #slots = new Map<number, Slot<V>>()
  #attached = false
  #fenceProducer: Promise<Producer> | undefined
  readonly #closed = new AbortController()

  /** The partition hooks to declare on the store's subscription; a handler without them fails. */
  readonly hooks: PartitionHooks = {
    onAssign: ({ partition }) => {
      this.#attached = true
      this.#slots.delete(partition)
    },
    onRevoke: ({ partition }) => {
      this.#slots.delete(partition)
    },
    onRewind: ({ partition }) => {
      this.#slots.delete(partition)
    },
  }

  constructor(options: PartitionStoreOptions<V>) {
    this.#options = options
  }

  /** The partition's state, restored first when it may be stale. Call once at the top of the handler. */
  async partition(ctx: HandlerContext): Promise<Map<string, V>> {
    if (!this.#attached) {
      throw new Error(
        `the state store of ${this.#options.changelogTopic} is not attached to its subscription: declare subscription({ ..., hooks: store.hooks })`,
      )
    }
    const slot = this.#slots.get(ctx.partition)
    if (slot) {
      this.#expire(slot)
      return slot.values
    }
    const restored = await this.#restore(ctx.partition)
    this.#slots.set(ctx.partition, restored)
    return restored.values
  }

  /**
   * Rebuilds a partition from its changelog in one pass: each value is copied out of the fetch as
   * it arrives (the fetched bytes are not kept) and decoded when the handler first reads it
   * (`LazyValues`), a tombstone deletes, and a record written before the horizon
   * deletes its key too (a newer write of the key, later in the log, brings it back).
   */
  async #restore(partition: number): Promise<Slot<V>> {
    const startedAt = Date.now()
    const { changelogTopic, restoreTimeoutMs, codec, horizon } = this.#options
    const values = new LazyValues<V>((bytes) => codec.decode(bytes))
    const times = horizon ? new WriteTimes() : undefined
    const cutoff = horizon ? this.#now() - horizon.ms : Number.NEGATIVE_INFINITY
    let applied = -1n
    let records = 0
    let expired = 0
    const visit: ChangelogVisitor = (key, value, timestampMs) => {
      records++
      if (key === APPLIED_KEY) {
        if (value !== null) applied = parseOffset(value)
      } else if (value === null || value.length === 0) {
        values.delete(key)
        times?.forget(key)
      } else if (timestampMs < cutoff) {
        expired++
        values.delete(key)
        times?.forget(key)
      } else {
        values.setEncoded(key, value)
        times?.touch(key, timestampMs)
      }
    }
    if (this.#options.read) await this.#options.read(changelogTopic, partition, visit)
    else {
      await scanPartition(this.#options.kafka, changelogTopic, partition, visit, {
        producer: await this.#producer(),
        signal: this.#closed.signal,
        ...(restoreTimeoutMs === undefined ? {} : { timeoutMs: restoreTimeoutMs }),
      })
    }
    this.#options.onRestore?.({
      partition,
      keys: values.size,
      records,
      expired,
      durationMs: Date.now() - startedAt,
    })
    return { values, times, applied }
  }

  /** Drops the keys last written before the horizon: a walk from the oldest, usually of one key. */
  #expire(slot: Slot<V>): void {
    const { horizon } = this.#options
    if (!horizon || !slot.times) return
    slot.times.expire(this.#now() - horizon.ms, (key) => slot.values.delete(key))
  }

  #now(): number {
    return this.#options.horizon?.now?.() ?? Date.now()
  }

  /**
   * The whole "is it applied, change, mark applied" of a stateful handler in one call: skips a
   * record the changelog says is applied already ('redelivered'), else runs `step` on the
   * partition's state; the changes it returns are written to memory and to the changelog, with the
   * applied mark, in the record's transaction ('applied'). `step` may emit outputs; returning
   * undefined writes nothing ('unchanged'). Call it last in the handler: what runs after it may
   * fail, and the memory would keep the change (the rewind hook would then forget it).
   */
  async apply(
    ctx: HandlerContext,
    step: (values: ReadonlyMap<string, V>) => Changes<V> | undefined | Promise<Changes<V> | undefined>,
  ): Promise<Applied> {
    const values = await this.partition(ctx)
    if (this.isApplied(ctx)) return 'redelivered'
    const changes = await step(values)
    if (changes === undefined) return 'unchanged'
    for (const [key, value] of changes) await this.put(ctx, values, key, value)
    await this.markApplied(ctx)
    return 'applied'
  }

  /**
   * Sets (or with null deletes) a key of the record's partition and writes it to the changelog in
   * the record's transaction. Call after everything that can fail: a failed handler's outputs are
   * dropped, but the memory would keep the change.
   */
  async put(ctx: HandlerContext, values: Map<string, V>, key: string, value: V | null): Promise<void> {
    const times = this.#slots.get(ctx.partition)?.times
    if (value === null) {
      values.delete(key)
      times?.forget(key)
    } else {
      values.set(key, value)
      times?.touch(key, this.#now())
    }
    await ctx.emit(
      this.#options.changelogTopic,
      key,
      value === null ? null : this.#options.codec.encode(value),
      {
        partition: ctx.partition,
      },
    )
  }

  /** True when the changelog says this record's effects are committed already: skip it. */
  isApplied(ctx: HandlerContext): boolean {
    const slot = this.#slots.get(ctx.partition)
    return slot !== undefined && BigInt(ctx.offset) <= slot.applied
  }

  /** Records in the changelog, in the record's transaction, that this record's effects are in. Call last. */
  async markApplied(ctx: HandlerContext): Promise<void> {
    const slot = this.#slots.get(ctx.partition)
    if (slot) slot.applied = BigInt(ctx.offset)
    await ctx.emit(this.#options.changelogTopic, APPLIED_KEY, Buffer.from(ctx.offset), {
      partition: ctx.partition,
    })
  }

  #producer(): Promise<Producer> {
    if (this.#closed.signal.aborted) return Promise.reject(new Error('the state store is closed'))
    this.#fenceProducer ??= (async () => {
      const producer = this.#options.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: true,
      })
      await producer.connect()
      return producer
    })()
    const pending = this.#fenceProducer
    pending.catch(() => {
      if (this.#fenceProducer === pending) this.#fenceProducer = undefined
    })
    return pending
  }

  /** Aborts a restore in progress (its handler fails, the runtime is stopping) and closes the fence producer. */
  async close(): Promise<void> {
    this.#closed.abort()
    const producer = this.#fenceProducer
    this.#fenceProducer = undefined
    await producer?.then((p) => p.disconnect()).catch(() => {})
  }
}

/**
 * The changelog topic's spec, partitioned like the input.
 *
 * Without a horizon it is compacted: a key lives until the store deletes it (the sensor
 * aggregator's windows, tombstoned when they close). Short segments (an hour) let compaction reach
 * recent updates (it never touches the active segment, 7 days by default), and tombstones are kept
 * an hour (`delete.retention.ms`), far longer than any restore takes, instead of a day: a restore
 * pays for every tombstone still in the log.
 *
 * With a horizon it is also deleted by time (`compact,delete`, retention = horizon plus a margin,
 * segments a tenth of the horizon). Expired keys are left to retention rather than tombstoned: a
 * tombstone per expiry would double the changelog's writes (and would have to be written in some
 * input record's transaction), while retention drops whole old segments for free.
 */
export function changelogTopicSpec(
  topic: string,
  numPartitions: number,
  options: { readonly horizonMs?: number } = {},
) {
  const { horizonMs } = options
  const configs: Record<string, string> =
    horizonMs === undefined
      ? {
          'cleanup.policy': 'compact',
          'segment.ms': String(3_600_000),
          'delete.retention.ms': String(3_600_000),
        }
      : {
          'cleanup.policy': 'compact,delete',
          'retention.ms': String(retentionMsFor(horizonMs)),
          'segment.ms': String(segmentMsFor(horizonMs)),
          'delete.retention.ms': String(3_600_000),
        }
  return { topic, numPartitions, family: TopicFamily.changelog, configs }
}

export const jsonCodec = <V>(): ValueCodec<V> => ({
  encode: (value) => Buffer.from(JSON.stringify(value)),
  decode: (bytes) => JSON.parse(bytes.toString('utf8')) as V,
})

function parseOffset(bytes: Buffer): bigint {
  const text = bytes.toString('utf8')
  return /^\d{1,19}$/.test(text) ? BigInt(text) : -1n
}
