import type { KafkaMessage } from 'kafkajs'
import { Outbox } from '../runtime/outbox.ts'
import { type ProcessorEnv, processRecord, StopRequested } from '../runtime/process-record.ts'
import type { Route } from '../runtime/routes.ts'
import { InFlightWindow } from './window.ts'

export interface WindowOptions {
  readonly env: ProcessorEnv
  readonly route: Route
  readonly sourceTopic: string
  readonly partition: number
  readonly messages: readonly KafkaMessage[]
  /** True when no further record may start (the group stops, the batch went stale, a rebalance). */
  readonly shouldStop: () => boolean
  /**
   * A record was processed: its outputs (or retry/dead-letter copy) are in `outbox`. At-least-once
   * produces them here; exactly-once keeps them for the transaction. The record counts as finished
   * once this resolves; if it throws, the record stays unfinished and the window stops.
   */
  readonly complete: (index: number, outbox: Outbox) => void | Promise<void>
  /** Called between records (one caller at a time): commit what finished, flush outputs. */
  readonly progress?: (window: InFlightWindow) => Promise<void>
  /** A retry record not due yet (retry tiers only): the partition waits until `dueAt`. */
  readonly onWait?: (dueAt: number) => void
}

export interface WindowResult {
  readonly window: InFlightWindow
  /** The first error a record threw (other than the group stopping), to rethrow after committing. */
  readonly error: unknown
  /** True when records were left unstarted or unfinished. */
  readonly halted: boolean
}

/**
 * Runs one fetched batch (or a chunk of it) through the subscription's ordering: records start as
 * the window allows them and the subscription's record permits are free, and the run ends when
 * every started record settled. Used for `key` and `none` ordering; `partition` keeps the
 * sequential loop, which needs no promise per record.
 */
export async function runWindow(options: WindowOptions): Promise<WindowResult> {
  const { env, route, sourceTopic, partition, messages } = options
  const sub = route.subscription
  const keys = sub.policy.ordering === 'key' ? messages.map(keyOf) : messages.map(() => null)
  const window = new InFlightWindow(keys, sub.policy.ordering, sub.policy.maxInFlightPerPartition)
  let active = 0
  let halted = false
  let error: unknown
  let wake: (() => void) | undefined
  let woken = false
  const settled = () => {
    const resolve = wake
    wake = undefined
    if (resolve) resolve()
    else woken = true
  }

  const start = (index: number, release: () => void) => {
    active++
    const fetched = { route, sourceTopic, partition, message: messages[index]! }
    const outbox = new Outbox()
    const run = async () => {
      const outcome = await processRecord(env, fetched, outbox)
      if (outcome.kind === 'wait') {
        halted = true
        options.onWait?.(outcome.dueAt)
        return
      }
      await options.complete(index, outbox)
      window.finish(index)
    }
    run()
      .catch((failure: unknown) => {
        halted = true
        if (!(failure instanceof StopRequested)) error ??= failure
      })
      .finally(() => {
        active--
        release()
        settled()
      })
  }

  for (;;) {
    if (!halted && options.shouldStop()) halted = true
    while (!halted) {
      const index = window.take()
      if (index < 0) break
      start(index, await sub.records.acquire())
    }
    if (active === 0) break
    if (!woken) await new Promise<void>((resolve) => (wake = resolve))
    woken = false
    await progress()
  }
  await progress()
  return { window, error, halted: halted || !window.complete }

  // A failed commit or flush stops the window, but the records already running are waited for:
  // nothing of this batch may still run when the caller rethrows and kafkajs restarts.
  async function progress() {
    if (!options.progress || error !== undefined) return
    try {
      await options.progress(window)
    } catch (failure) {
      halted = true
      error ??= failure
    }
  }
}

/** latin1 maps every byte to one char: a cheap, collision-free string form of the key bytes. */
function keyOf(message: KafkaMessage): string | null {
  return message.key === null ? null : message.key.toString('latin1')
}
