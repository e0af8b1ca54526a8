import { randomUUID } from 'node:crypto'
import type { Kafka } from 'kafkajs'
import { StateRestoreError } from '#libs/errors'

/**
 * Reads one partition of a changelog topic from its start to its end (read_committed) and returns
 * the latest value of every key (a null value deletes the key, as compaction would).
 *
 * kafkajs has no manual assignment, so a throwaway consumer group (never committing) subscribes to
 * the topic and ignores the other partitions. The end is the partition's end offset taken before
 * reading; it is reached when a fetched batch, control records included (END_BATCH_PROCESS reports
 * batches that hold only transaction markers), ends at or past it.
 */
export async function readPartition(
  kafka: Kafka,
  topic: string,
  partition: number,
  options: { readonly timeoutMs?: number } = {},
): Promise<Map<string, Buffer>> {
  const state = new Map<string, Buffer>()
  const admin = kafka.admin()
  await admin.connect()
  try {
    const offsets = await admin.fetchTopicOffsets(topic)
    const bounds = offsets.find((entry) => entry.partition === partition)
    const end = BigInt(bounds?.high ?? '0')
    if (bounds === undefined || end <= BigInt(bounds.low)) return state
    const groupId = `${topic}.restore.${randomUUID()}`
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted: false })
    let timer: NodeJS.Timeout | undefined
    try {
      const done = new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => {
          reject(
            new StateRestoreError(`could not read ${topic}[${partition}] to offset ${end} in time`, {
              context: { topic, partition },
            }),
          )
        }, options.timeoutMs ?? 30_000)
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          if (payload.partition === partition && BigInt(payload.lastOffset) >= end - 1n) resolve()
        })
      })
      await consumer.connect()
      await consumer.subscribe({ topic, fromBeginning: true })
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.partition !== partition) return
          for (const message of batch.messages) {
            const key = message.key?.toString('utf8')
            if (key === undefined) continue
            if (message.value === null || message.value.length === 0) state.delete(key)
            else state.set(key, message.value)
          }
        },
      })
      await done
    } finally {
      clearTimeout(timer)
      await consumer.disconnect().catch(() => {})
      await admin.deleteGroups([groupId]).catch(() => {})
    }
    return state
  } finally {
    await admin.disconnect()
  }
}
