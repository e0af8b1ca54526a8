import type { EachBatchPayload } from 'kafkajs'
import { type AtLeastOnceDeps, commitThrough } from '../runtime/alo-output.ts'
import type { KeepAlive } from '../runtime/keep-alive.ts'
import type { ProcessorEnv } from '../runtime/process-record.ts'
import type { Route } from '../runtime/routes.ts'
import { OutputBatcher } from './output-batcher.ts'
import { runWindow } from './run-window.ts'

/**
 * At-least-once under `key` or `none` ordering: the batch's records run concurrently as the window
 * allows; each record's outputs (or its retry/dead-letter copy) are acknowledged before it counts
 * as finished, and only the contiguous finished prefix is committed (every `commitIntervalMs`, at
 * the end, and before an error or a stop ends the batch). A crash re-delivers the records after
 * the last committed prefix: the unfinished ones and those that finished beyond it.
 */
export async function runAtLeastOnceWindow(
  deps: AtLeastOnceDeps,
  route: Route,
  payload: EachBatchPayload,
  keepAlive: KeepAlive,
): Promise<void> {
  const { batch, heartbeat, isRunning, isStale } = payload
  const env: ProcessorEnv = { groupId: deps.groupId, heartbeat, signal: deps.signal }
  const messages = batch.messages
  const outputs = new OutputBatcher(deps, env)
  let committed = 0
  let lastCommit = Date.now()
  const commit = async (prefix: number) => {
    if (prefix <= committed) return
    const records = prefix - committed
    committed = prefix
    lastCommit = Date.now()
    await commitThrough(deps, payload, messages[prefix - 1]!.offset, records)
  }
  const result = await runWindow({
    env,
    route,
    sourceTopic: batch.topic,
    partition: batch.partition,
    messages,
    shouldStop: () => !isRunning() || isStale() || deps.signal.aborted || keepAlive.failed,
    complete: async (index, outbox) => {
      if (outbox.size === 0) return
      const fetched = {
        route,
        sourceTopic: batch.topic,
        partition: batch.partition,
        message: messages[index]!,
      }
      await outputs.send(fetched, outbox)
    },
    progress: async (window) => {
      if (Date.now() - lastCommit >= deps.commitIntervalMs) await commit(window.finishedPrefix)
    },
  })
  await commit(result.window.finishedPrefix)
  if (result.error !== undefined) throw result.error
}
