import { randomUUID } from 'node:crypto'
import { StateRestoreError } from '@event-backbone/errors'
import { AssignerProtocol, type Kafka, type PartitionAssigner, Partitioners, type Producer } from 'kafkajs'
import { idPrefix } from '#libs/kafka'

/** Key of the fence records `readPartition` writes; never a state key (readers skip it). */
export const FENCE_KEY = '\u0000fence'

/** One changelog record as a restore sees it: the value is null for a tombstone. */
export type ChangelogVisitor = (key: string, value: Buffer | null, timestampMs: number) => void

export interface ReadOptions {
  readonly timeoutMs?: number
  readonly producer?: Producer
  readonly signal?: AbortSignal
  /**
   * Fetch size per request for the one partition read: 1 MiB (kafkajs's default) unless set.
   * Larger fetches were measured no faster (`npm run bench -- state-restore` compares 16 MiB):
   * kafkajs decodes a whole response before handing it over, so fewer round trips buy nothing.
   */
  readonly maxBytesPerPartition?: number
}

/** What a restore fetches per request by default (benchmarks/state-restore.bench.ts). */
export const restoreFetchBytes = 1024 * 1024

/**
 * Reads one partition of a changelog topic to its end (read_committed) and returns the latest
 * value of every key (a null value deletes the key, as compaction would).
 */
export async function readPartition(
  kafka: Kafka,
  topic: string,
  partition: number,
  options: ReadOptions = {},
): Promise<Map<string, Buffer>> {
  const state = new Map<string, Buffer>()
  await scanPartition(
    kafka,
    topic,
    partition,
    (key, value) => {
      // A copy: the fetched value is a view of the whole fetch response, which it would keep alive.
      if (value === null || value.length === 0) state.delete(key)
      else state.set(key, Buffer.from(value))
    },
    options,
  )
  return state
}

/**
 * Hands every record of one partition of a changelog topic to `visit`, in offset order, up to the
 * partition's end (read_committed); fence records are skipped.
 *
 * "The end" must include every transaction that committed before the read started, also one whose
 * commit markers the coordinator has not written yet (EndTxn returns before the markers land; a
 * ListOffsets read_committed answer, or a consumer that stops at the last stable offset, would miss
 * it). So the reader first appends a fence record (a tombstone of FENCE_KEY, not transactional):
 * it becomes readable only once the last stable offset passes it, i.e. once every earlier
 * transaction is complete. Reading up to the fence sees all of them. The caller must not have a
 * transaction of its own open on the partition (it would hold the fence back until the timeout).
 *
 * kafkajs has no manual assignment, so a throwaway consumer group (never committing) joins with an
 * assigner that gives its one member the one partition: the other partitions are never fetched.
 */
export async function scanPartition(
  kafka: Kafka,
  topic: string,
  partition: number,
  visit: ChangelogVisitor,
  options: ReadOptions = {},
): Promise<void> {
  const producer =
    options.producer ??
    kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true })
  if (!options.producer) await producer.connect()
  const groupId = `${topic}${idPrefix.restoreGroupInfix}${randomUUID()}`
  const maxBytesPerPartition = options.maxBytesPerPartition ?? restoreFetchBytes
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    readUncommitted: false,
    maxBytesPerPartition,
    maxBytes: maxBytesPerPartition,
    partitionAssigners: [onePartition(topic, partition)],
  })
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  try {
    if (options.signal?.aborted) throw aborted(topic, partition)
    const [written] = await producer.send({
      topic,
      acks: -1,
      messages: [{ key: FENCE_KEY, value: null, partition }],
    })
    const fence = BigInt(written?.baseOffset ?? '0')
    const done = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new StateRestoreError(`could not read ${topic}[${partition}] to offset ${fence} in time`, {
            context: { topic, partition },
          }),
        )
      }, options.timeoutMs ?? 30_000)
      onAbort = () => reject(aborted(topic, partition))
      options.signal?.addEventListener('abort', onAbort, { once: true })
      // END_BATCH_PROCESS also reports batches that hold only control records or filtered ones.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.partition === partition && BigInt(payload.lastOffset) >= fence) resolve()
      })
    })
    // It may reject (timeout, abort on close) while connect/subscribe/run are still awaited, before
    // `await done` below observes it: mark it handled so that is not an unhandled rejection.
    done.catch(() => {})
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.partition !== partition) return
        for (const message of batch.messages) {
          if (message.key === null) continue
          const key = message.key.toString('utf8')
          if (key === FENCE_KEY) continue
          visit(key, message.value, Number(message.timestamp))
        }
      },
    })
    await done
  } finally {
    clearTimeout(timer)
    if (onAbort) options.signal?.removeEventListener('abort', onAbort)
    await consumer.disconnect().catch(() => {})
    if (!options.producer) await producer.disconnect().catch(() => {})
    const admin = kafka.admin()
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => {})
      .finally(() => admin.disconnect().catch(() => {}))
  }
}

/** An assigner for a group of one: its member gets `partition` of `topic`, nothing else. */
function onePartition(topic: string, partition: number): PartitionAssigner {
  const name = 'OnePartition'
  return () => ({
    name,
    version: 1,
    protocol: ({ topics }) => ({
      name,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    }),
    assign: async ({ members }) =>
      members.map(({ memberId }, index) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: index === 0 ? { [topic]: [partition] } : {},
          userData: Buffer.alloc(0),
        }),
      })),
  })
}

function aborted(topic: string, partition: number) {
  return new StateRestoreError(`reading ${topic}[${partition}] was aborted: the store is closing`, {
    context: { topic, partition },
  })
}
