import type { EachBatchPayload, KafkaMessage, Transaction } from 'kafkajs'
import { errorClass } from '../headers/write.ts'
import { publish } from '../instrumentation/channels.ts'
import { lagAfter, nextOffset } from '../runtime/offsets.ts'
import { Outbox } from '../runtime/outbox.ts'
import type { Pauser } from '../runtime/pauser.ts'
import { type ProcessorEnv, processRecord, StopRequested } from '../runtime/process-record.ts'
import type { Route } from '../runtime/routes.ts'
import type { ProducerPool } from './producer-pool.ts'

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
  let messages = batch.messages
  const floor = entry.committedOnCreate
  if (floor !== undefined) {
    entry.committedOnCreate = undefined
    messages = messages.filter((message) => BigInt(message.offset) >= floor)
    if (messages.length === 0) {
      if (floor > BigInt(batch.firstOffset() ?? '0')) resolveOffset((floor - 1n).toString())
      return
    }
  }
  for (let index = 0; index < messages.length; ) {
    const chunk = messages.slice(index, index + deps.maxBatchRecords)
    const { processed, stop } = await transact(deps, route, payload, chunk)
    index += processed
    if (stop || processed < chunk.length) break
  }
}

async function transact(
  deps: ExactlyOnceDeps,
  route: Route,
  payload: EachBatchPayload,
  chunk: KafkaMessage[],
): Promise<{ processed: number; stop: boolean }> {
  const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload
  const { producer } = await deps.producers.get(batch.topic, batch.partition)
  const env: ProcessorEnv = { groupId: deps.groupId, heartbeat, signal: deps.signal }
  const outbox = new Outbox()
  let transaction: Transaction | undefined
  let last: string | undefined
  let processed = 0
  let stop = false
  try {
    for (const message of chunk) {
      if (!isRunning() || isStale() || deps.signal.aborted) {
        stop = true
        break
      }
      let outcome: Awaited<ReturnType<typeof processRecord>>
      try {
        outcome = await processRecord(
          env,
          { route, sourceTopic: batch.topic, partition: batch.partition, message },
          outbox,
        )
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
        await transaction.sendBatch({ topicMessages: outbox.drain(), acks: -1 })
      }
      await heartbeat()
    }
    if (last === undefined) {
      await transaction?.abort()
      return { processed, stop: true }
    }
    transaction ??= await producer.transaction()
    if (outbox.size > 0) await transaction.sendBatch({ topicMessages: outbox.drain(), acks: -1 })
    const offset = nextOffset(batch, last)
    await transaction.sendOffsets({
      consumerGroupId: deps.groupId,
      topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
    })
    await transaction.commit()
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
