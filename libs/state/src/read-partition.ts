import { randomUUID } from 'node:crypto'
import { StateRestoreError } from '@event-backbone/errors'
import { type Kafka, Partitioners, type Producer } from 'kafkajs'
import { idPrefix } from '#libs/kafka'

/** Key of the fence records `readPartition` writes; never a state key (readers skip it). */
export const FENCE_KEY = '\u0000fence'

/**
 * Reads one partition of a changelog topic to its end (read_committed) and returns the latest
 * value of every key (a null value deletes the key, as compaction would).
 *
 * "The end" must include every transaction that committed before the read started, also one whose
 * commit markers the coordinator has not written yet (EndTxn returns before the markers land; a
 * ListOffsets read_committed answer, or a consumer that stops at the last stable offset, would miss
 * it). So the reader first appends a fence record (a tombstone of FENCE_KEY, not transactional):
 * it becomes readable only once the last stable offset passes it, i.e. once every earlier
 * transaction is complete. Reading up to the fence sees all of them. The caller must not have a
 * transaction of its own open on the partition (it would hold the fence back until the timeout).
 *
 * kafkajs has no manual assignment, so a throwaway consumer group (never committing) subscribes to
 * the topic and ignores the other partitions.
 */
export async function readPartition(
  kafka: Kafka,
  topic: string,
  partition: number,
  options: { readonly timeoutMs?: number; readonly producer?: Producer; readonly signal?: AbortSignal } = {},
): Promise<Map<string, Buffer>> {
  const state = new Map<string, Buffer>()
  const producer =
    options.producer ??
    kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true })
  if (!options.producer) await producer.connect()
  const groupId = `${topic}${idPrefix.restoreGroupInfix}${randomUUID()}`
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted: false })
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
          const key = message.key?.toString('utf8')
          if (key === undefined || key === FENCE_KEY) continue
          if (message.value === null || message.value.length === 0) state.delete(key)
          else state.set(key, message.value)
        }
      },
    })
    await done
    return state
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

function aborted(topic: string, partition: number) {
  return new StateRestoreError(`reading ${topic}[${partition}] was aborted: the store is closing`, {
    context: { topic, partition },
  })
}
