import { setTimeout as sleep } from 'node:timers/promises'
import { PublishFailedError } from '@event-backbone/errors'
import type { EachBatchPayload, Transaction } from 'kafkajs'
import { unansweredPartitions } from '#libs/kafka'
import { errorClass } from '../headers/write.ts'
import { publish } from '../instrumentation/channels.ts'
import { lagAfter, nextOffset } from '../runtime/offsets.ts'
import { Outbox } from '../runtime/outbox.ts'
import type { PartitionProducer, ProducerPool } from './producer-pool.ts'

export interface TransactionDeps {
  readonly groupId: string
  readonly producers: ProducerPool
  readonly flushRecords: number
}

/**
 * One transaction over (part of) a fetched batch: outputs, retry and dead-letter copies are added
 * as records finish and sent into the open transaction every `flushRecords`; `commit` adds the
 * input offset (`sendOffsets`) and commits. The transaction opens lazily, on the first send.
 */
export class BatchTransaction {
  readonly outbox = new Outbox()
  readonly #deps: TransactionDeps
  readonly #payload: EachBatchPayload
  readonly #entry: PartitionProducer
  #transaction: Transaction | undefined

  constructor(deps: TransactionDeps, payload: EachBatchPayload, entry: PartitionProducer) {
    this.#deps = deps
    this.#payload = payload
    this.#entry = entry
  }

  /** Sends the buffered outputs into the transaction once `flushRecords` are waiting. */
  async flushIfFull(): Promise<void> {
    if (this.outbox.size >= this.#deps.flushRecords) await this.#flush()
  }

  async #flush(): Promise<void> {
    if (this.outbox.size === 0) return
    this.#transaction ??= await this.#entry.producer.transaction()
    const open = this.#transaction
    // One send per partition, concurrently (partition-sends.ts: kafkajs can write a multi-broker
    // send's records twice, or not at all, when one of its brokers fails). Each answer is checked
    // too (libs/kafka answered.ts): a send kafkajs did not finish cleanly fails the transaction.
    const sends = await this.#deps.producers.sends.split(this.outbox.drain())
    await Promise.all(
      sends.map(async (send) => {
        const answer = await whileConcurrent(() => open.sendBatch({ topicMessages: [send], acks: -1 }))
        const wrong = unansweredPartitions([send], answer)
        if (wrong.length > 0) {
          throw new PublishFailedError(
            `the transaction's send left ${wrong.join(', ')} unacknowledged or acknowledged twice`,
            { context: { partitions: wrong } },
          )
        }
      }),
    )
  }

  /** Commits the outputs and the offset after `last` (every record up to it is done). */
  async commit(last: string, records: number): Promise<void> {
    const { batch } = this.#payload
    await this.#flush()
    this.#transaction ??= await this.#entry.producer.transaction()
    const open = this.#transaction
    const offset = nextOffset(batch, last)
    await whileConcurrent(() =>
      open.sendOffsets({
        consumerGroupId: this.#deps.groupId,
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
      }),
    )
    await open.commit()
    this.#entry.floor = BigInt(offset)
    this.#payload.resolveOffset(last)
    const { groupId } = this.#deps
    publish('committed', () => ({
      groupId,
      topic: batch.topic,
      partition: batch.partition,
      offset,
      records,
      transactional: true,
    }))
    publish('batch', () => ({
      groupId,
      topic: batch.topic,
      partition: batch.partition,
      highWatermark: batch.highWatermark,
      lag: lagAfter(batch, offset),
    }))
    await this.#payload.heartbeat()
  }

  /** Nothing finished: abort whatever was sent (records after a stop or a wait come again). */
  async discard(): Promise<void> {
    await this.#transaction?.abort()
  }

  /**
   * The transaction failed: abort it and drop the producer, which may be fenced or in an unknown
   * state; its successor re-reads the committed offset the next batch starts from.
   */
  async fail(error: unknown): Promise<void> {
    const { batch } = this.#payload
    publish('aborted', () => ({
      groupId: this.#deps.groupId,
      topic: batch.topic,
      partition: batch.partition,
      errorClass: errorClass(error),
    }))
    if (this.#transaction?.isActive()) await this.#transaction.abort().catch(() => {})
    await this.#deps.producers.drop(batch.topic, batch.partition)
  }
}

/**
 * The coordinator answers CONCURRENT_TRANSACTIONS while it still writes the markers of this
 * producer's previous transaction; the Java client retries it, kafkajs 2.2.4 does not for
 * AddOffsetsToTxn. Retry briefly: the previous commit completes within milliseconds.
 */
async function whileConcurrent<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation()
    } catch (error) {
      if ((error as { type?: string }).type !== 'CONCURRENT_TRANSACTIONS' || attempt >= 50) throw error
      await sleep(Math.min(2 * 2 ** attempt, 100))
    }
  }
}
