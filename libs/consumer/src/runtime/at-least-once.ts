import type { EachBatchPayload } from 'kafkajs'
import { runAtLeastOnceWindow } from '../ordering/at-least-once.ts'
import { type AtLeastOnceDeps, commitThrough, produce } from './alo-output.ts'
import { KeepAlive } from './keep-alive.ts'
import { Outbox } from './outbox.ts'
import { type ProcessorEnv, processRecord, StopRequested } from './process-record.ts'
import type { Route } from './routes.ts'

/**
 * At-least-once: records of a partition are processed in order; a record's outputs and its retry or
 * dead-letter copy are acknowledged by the broker before its offset is resolved, and the resolved
 * offset is committed at the end of the batch (and before a stop or rebalance ends the batch).
 */
export async function runAtLeastOnceBatch(deps: AtLeastOnceDeps, route: Route, payload: EachBatchPayload) {
  const { messages, partition } = payload.batch
  const first = messages[0]
  if (first && deps.lifecycle)
    await deps.lifecycle.beforeBatch(route, partition, first.offset, messages.at(-1)!.offset)
  const keepAlive = new KeepAlive(payload.heartbeat)
  try {
    if (route.tier === 0 && route.subscription.policy.ordering !== 'partition') {
      await runAtLeastOnceWindow(deps, route, payload, keepAlive)
    } else {
      await runSequential(deps, route, payload, keepAlive)
    }
  } finally {
    keepAlive.stop()
  }
  if (keepAlive.failed) throw keepAlive.error
}

async function runSequential(
  deps: AtLeastOnceDeps,
  route: Route,
  payload: EachBatchPayload,
  keepAlive: KeepAlive,
) {
  const { batch, heartbeat, isRunning, isStale } = payload
  const env: ProcessorEnv = { groupId: deps.groupId, heartbeat, signal: deps.signal }
  const outbox = new Outbox()
  let last: string | undefined
  let records = 0
  let lastCommit = Date.now()
  let lastBeat = lastCommit
  try {
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || deps.signal.aborted || keepAlive.failed) break
      const fetched = { route, sourceTopic: batch.topic, partition: batch.partition, message }
      let outcome = processRecord(env, fetched, outbox)
      if (outcome instanceof Promise) outcome = await outcome
      if (outcome.kind === 'wait') {
        deps.pauser.pauseUntil(batch.topic, batch.partition, outcome.dueAt)
        break
      }
      if (outbox.size > 0) await produce(deps, env, fetched, outbox)
      last = message.offset
      records++
      // kafkajs only heartbeats when asked; asking per record costs a promise, so ask every 200 ms.
      const now = Date.now()
      if (now - lastBeat >= 200) {
        lastBeat = now
        await heartbeat()
      }
      if (now - lastCommit >= deps.commitIntervalMs) {
        await commit()
        lastCommit = Date.now()
      }
    }
  } catch (error) {
    if (!(error instanceof StopRequested)) {
      await commit()
      throw error
    }
  }
  await commit()

  async function commit() {
    if (last === undefined) return
    const through = last
    last = undefined
    const count = records
    records = 0
    await commitThrough(deps, payload, through, count)
  }
}
