import type { EachBatchPayload, KafkaMessage } from 'kafkajs'
import { fillWindowed } from '../ordering/exactly-once.ts'
import { KeepAlive } from '../runtime/keep-alive.ts'
import type { PartitionLifecycle } from '../runtime/partition-lifecycle.ts'
import type { Pauser } from '../runtime/pauser.ts'
import { type ProcessorEnv, processRecord, StopRequested } from '../runtime/process-record.ts'
import type { Route } from '../runtime/routes.ts'
import { BatchTransaction, type TransactionDeps } from './batch-transaction.ts'
import type { PartitionProducer } from './producer-pool.ts'

export interface ExactlyOnceDeps extends TransactionDeps {
  readonly pauser: Pauser
  readonly lifecycle?: PartitionLifecycle
  readonly signal: AbortSignal
  readonly maxBatchRecords: number
}

/** What a chunk's records came to: how many finished in order from its start, and whether to stop. */
export interface Filled {
  readonly processed: number
  readonly stop: boolean
}

/**
 * Exactly-once: a fetched batch becomes one transaction per `maxBatchRecords` records. Outputs,
 * retry and dead-letter copies and the input offset commit together (`sendOffsets`); any failure
 * aborts the transaction and the records are fetched again from the last committed offset. Under
 * `key`/`none` ordering the chunk's records run concurrently and the transaction commits once they
 * all finished (or, when the group stops, the contiguous finished prefix with only its outputs).
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
  const first = messages[0]
  if (first && deps.lifecycle) {
    // After the floor: records skipped as committed already are no rewind.
    await deps.lifecycle.beforeBatch(route, batch.partition, first.offset, messages.at(-1)!.offset)
  }
  const keepAlive = new KeepAlive(payload.heartbeat)
  try {
    for (let index = 0; index < messages.length; ) {
      const chunk = messages.slice(index, index + deps.maxBatchRecords)
      const { processed, stop } = await transact(deps, route, payload, entry, chunk, keepAlive)
      index += processed
      if (stop || processed < chunk.length) break
    }
  } finally {
    keepAlive.stop()
  }
  if (keepAlive.failed) throw keepAlive.error
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
  keepAlive: KeepAlive,
): Promise<Filled> {
  const tx = new BatchTransaction(deps, payload, entry)
  try {
    const windowed = route.tier === 0 && route.subscription.policy.ordering !== 'partition'
    const { processed, stop } = windowed
      ? await fillWindowed(deps, route, payload, chunk, tx, keepAlive)
      : await fillSequential(deps, route, payload, chunk, tx, keepAlive)
    if (processed === 0) {
      await tx.discard()
      return { processed, stop: true }
    }
    await tx.commit(chunk[processed - 1]!.offset, processed)
    return { processed, stop }
  } catch (error) {
    await tx.fail(error)
    throw error
  }
}

/** `partition` ordering (and retry tiers): records one after another, in offset order. */
async function fillSequential(
  deps: ExactlyOnceDeps,
  route: Route,
  payload: EachBatchPayload,
  chunk: KafkaMessage[],
  tx: BatchTransaction,
  keepAlive: KeepAlive,
): Promise<Filled> {
  const { batch, heartbeat, isRunning, isStale } = payload
  const env: ProcessorEnv = { groupId: deps.groupId, heartbeat, signal: deps.signal }
  let processed = 0
  let lastBeat = Date.now()
  for (const message of chunk) {
    if (!isRunning() || isStale() || deps.signal.aborted || keepAlive.failed) return { processed, stop: true }
    let outcome: Awaited<ReturnType<typeof processRecord>>
    try {
      const pending = processRecord(
        env,
        { route, sourceTopic: batch.topic, partition: batch.partition, message },
        tx.outbox,
      )
      outcome = pending instanceof Promise ? await pending : pending
    } catch (error) {
      if (!(error instanceof StopRequested)) throw error
      return { processed, stop: true }
    }
    if (outcome.kind === 'wait') {
      deps.pauser.pauseUntil(batch.topic, batch.partition, outcome.dueAt)
      return { processed, stop: true }
    }
    processed++
    await tx.flushIfFull()
    const now = Date.now()
    if (now - lastBeat >= 200) {
      lastBeat = now
      await heartbeat()
    }
  }
  return { processed, stop: false }
}
