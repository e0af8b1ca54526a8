import { HandlerTimeoutError } from '@event-backbone/errors'
import { publish } from '../instrumentation/channels.ts'
import type { HandlerContext, RecordContext } from '../types.ts'
import { isThenable } from './handler-context.ts'

type Handler = (value: unknown, ctx: HandlerContext) => void | Promise<void>
type Filter = (value: unknown, record: RecordContext) => boolean

/**
 * The subscription's handler with its filter and timeout around it; the handler itself when it has
 * neither, so the common path pays nothing. Both act as part of the handler call: a filter that
 * throws or a timeout is a handler failure, classified and retried like any other.
 */
export function guardHandler(
  groupId: string,
  handler: Handler,
  filter: Filter | undefined,
  timeoutMs: number,
): Handler {
  const timed = timeoutMs > 0 ? withTimeout(groupId, handler, timeoutMs) : handler
  if (!filter) return timed
  return (value, ctx) => {
    if (filter(value, ctx)) return timed(value, ctx)
    publish('filtered', () => recordEvent(groupId, ctx))
  }
}

/**
 * Fails the call with a retriable HandlerTimeoutError after `timeoutMs`. JavaScript cannot stop
 * the handler: it keeps running, but its outputs are dropped with the failed attempt (they are
 * only produced from a successful one). Handlers should bound their own I/O as well.
 */
function withTimeout(groupId: string, handler: Handler, timeoutMs: number): Handler {
  return (value, ctx) => {
    const result = handler(value, ctx)
    if (!isThenable(result)) return result
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        publish('timedOut', () => ({ ...recordEvent(groupId, ctx), timeoutMs, attempt: ctx.attempt }))
        reject(
          new HandlerTimeoutError(`the handler of ${ctx.topic} ran longer than ${timeoutMs} ms`, {
            context: { topic: ctx.topic, partition: ctx.partition, offset: ctx.offset, timeoutMs },
          }),
        )
      }, timeoutMs)
      Promise.resolve(result).then(
        () => {
          clearTimeout(timer)
          resolve()
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}

function recordEvent(groupId: string, ctx: RecordContext) {
  return {
    groupId,
    topic: ctx.topic,
    sourceTopic: ctx.sourceTopic,
    partition: ctx.partition,
    offset: ctx.offset,
  }
}
