import type { EachBatchPayload, KafkaMessage } from 'kafkajs'
import type { BatchTransaction } from '../eos/batch-transaction.ts'
import type { ExactlyOnceDeps, Filled } from '../eos/exactly-once.ts'
import type { KeepAlive } from '../runtime/keep-alive.ts'
import type { Outbox } from '../runtime/outbox.ts'
import type { ProcessorEnv } from '../runtime/process-record.ts'
import type { Route } from '../runtime/routes.ts'
import { runWindow } from './run-window.ts'

/**
 * Exactly-once under `key`/`none` ordering: the chunk's records run concurrently; a record's
 * outputs join the transaction only once it is part of the contiguous finished prefix, so the
 * transaction always holds exactly the outputs of the records whose offsets it commits. Normally
 * every record finishes and the whole chunk commits; when the group stops or a rebalance starts,
 * the prefix commits and the records after it (finished or not) are fetched again, their outputs
 * never written.
 */
export async function fillWindowed(
  deps: ExactlyOnceDeps,
  route: Route,
  payload: EachBatchPayload,
  chunk: KafkaMessage[],
  tx: BatchTransaction,
  keepAlive: KeepAlive,
): Promise<Filled> {
  const { batch, heartbeat, isRunning, isStale } = payload
  const env: ProcessorEnv = { groupId: deps.groupId, heartbeat, signal: deps.signal }
  const held: Array<Outbox | undefined> = new Array(chunk.length)
  let moved = 0
  const result = await runWindow({
    env,
    route,
    sourceTopic: batch.topic,
    partition: batch.partition,
    messages: chunk,
    shouldStop: () => !isRunning() || isStale() || deps.signal.aborted || keepAlive.failed,
    complete: (index, outbox) => {
      if (outbox.size > 0) held[index] = outbox
    },
    progress: async (window) => {
      for (; moved < window.finishedPrefix; moved++) {
        const outbox = held[moved]
        if (outbox) tx.outbox.addAll(outbox)
        held[moved] = undefined
      }
      await tx.flushIfFull()
    },
  })
  if (result.error !== undefined) throw result.error
  return { processed: result.window.finishedPrefix, stop: result.halted }
}
