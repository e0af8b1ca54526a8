import { setTimeout as sleep } from 'node:timers/promises'
import type { EachBatchPayload, KafkaMessage, Transaction } from 'kafkajs'
import { errorClass } from '../headers/write.ts'
import { publish } from '../instrumentation/channels.ts'
import { lagAfter, nextOffset } from '../runtime/offsets.ts'
import { Outbox } from '../runtime/outbox.ts'
import type { Pauser } from '../runtime/pauser.ts'
import { type ProcessorEnv, processRecord, StopRequested } from '../runtime/process-record.ts'
import type { Route } from '../runtime/routes.ts'
import type { PartitionProducer, ProducerPool } from './producer-pool.ts'

export interface ExactlyOnceDeps {
  readonly groupId: string
  readonly producers: ProducerPool
  readonly pauser: Pauser
  readonly signal: AbortSignal
  readonly maxBatchRecords: number
  readonly flushRecords: number
}

/**
 * Exactly-once: a fetched batch becomes one transaction per `maxBatchRecords` records. Outputs,
 * retry and dead-letter copies and the input offset commit together (`sendOffsets`); any failure
 * aborts the transaction and the records are fetched again from the last committed offset.
 */
export async function runExactlyOnceBatch(deps: ExactlyOnceDeps, route: Route, payload: EachBatchPayload) {
  const { batch, resolveOffset } = payload
  const entry = await deps.producers.get(batch.topic, batch.partition)
  const messages = aboveFloor(batch.messages, entry.floor)
  if (messages.length === 0 && batch.messages.length > 0) {
    // Everything fetched is committed already: move the fetch position up to the floor.
    resolveOffset(((entry.floor ?? 0n) - 1n).toString())
    return
  }
  for (let index = 0; index < messages.length; ) {
    const chunk = messages.slice(index, index + deps.maxBatchRecords)
    const { processed, stop } = await transact(deps, route, payload, entry, chunk)
    index += processed
    if (stop || processed < chunk.length) break
  }
}

/** The messages at or above `floor`; the batch itself when its first message is (the usual case). */
function aboveFloor(messages: KafkaMessage[], floor: bigint | undefined): KafkaMessage[] {
  const first = messages[0]
  if (floor === undefined || first === undefined || BigInt(first.offset) >= floor) return messages
  return messages.filter((message) => BigInt(message.offset) >= floor)
}

async function transact(
  deps: ExactlyOnceDeps,
  route: Route,
  payload: EachBatchPayload,
  entry: PartitionProducer,
  chunk: KafkaMessage[],
): Promise<{ processed: number; stop: boolean }> {
  const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload
  const { producer } = entry
  const env: ProcessorEnv = { groupId: deps.groupId, heartbeat, signal: deps.signal }
  const outbox = new Outbox()
  let transaction: Transaction | undefined
  let last: string | undefined
  let processed = 0
  let stop = false
  let lastBeat = Date.now()
  try {
    for (const message of chunk) {
      if (!isRunning() || isStale() || deps.signal.aborted) {
        stop = true
        break
      }
      let outcome: Awaited<ReturnType<typeof processRecord>>
      try {
        const pending = processRecord(
          env,
          { route, sourceTopic: batch.topic, partition: batch.partition, message },
          outbox,
        )
        outcome = pending instanceof Promise ? await pending : pending
      } catch (error) {
        if (!(error instanceof StopRequested)) throw error
        stop = true
        break
      }
      if (outcome.kind === 'wait') {
        deps.pauser.pauseUntil(batch.topic, batch.partition, outcome.dueAt)
        stop = true
        break
      }
      last = message.offset
      processed++
      if (outbox.size >= deps.flushRecords) {
        transaction ??= await producer.transaction()
        const messages = outbox.drain()
        const open = transaction
        await whileConcurrent(() => open.sendBatch({ topicMessages: messages, acks: -1 }))
      }
      const now = Date.now()
      if (now - lastBeat >= 200) {
        lastBeat = now
        await heartbeat()
      }
    }
    if (last === undefined) {
      await transaction?.abort()
      return { processed, stop: true }
    }
    transaction ??= await producer.transaction()
    const open = transaction
    if (outbox.size > 0) {
      const messages = outbox.drain()
      await whileConcurrent(() => open.sendBatch({ topicMessages: messages, acks: -1 }))
    }
    const offset = nextOffset(batch, last)
    await whileConcurrent(() =>
      open.sendOffsets({
        consumerGroupId: deps.groupId,
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
      }),
    )
    await transaction.commit()
    entry.floor = BigInt(offset)
    resolveOffset(last)
    publish('committed', () => ({
      groupId: deps.groupId,
      topic: batch.topic,
      partition: batch.partition,
      offset,
      records: processed,
      transactional: true,
    }))
    publish('batch', () => ({
      groupId: deps.groupId,
      topic: batch.topic,
      partition: batch.partition,
      highWatermark: batch.highWatermark,
      lag: lagAfter(batch, offset),
    }))
    await heartbeat()
    return { processed, stop }
  } catch (error) {
    publish('aborted', () => ({
      groupId: deps.groupId,
      topic: batch.topic,
      partition: batch.partition,
      errorClass: errorClass(error),
    }))
    // A producer whose transaction failed may be fenced or in an unknown state: start afresh, which
    // also re-reads the committed offset the next batch starts from.
    if (transaction?.isActive()) await transaction.abort().catch(() => {})
    await deps.producers.drop(batch.topic, batch.partition)
    throw error
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
