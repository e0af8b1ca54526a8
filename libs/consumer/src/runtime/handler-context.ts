import type { IHeaders } from 'kafkajs'
import type { EmitOptions, HandlerContext, RawValue, RecordContext } from '../types.ts'
import { Outbox } from './outbox.ts'
import type { FetchedRecord } from './process-record.ts'

/** The handler's context; outputs and pending encodes are allocated only when the handler emits. */
export class Context implements HandlerContext {
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly timestamp: string
  readonly key: Buffer | null
  readonly headers: IHeaders
  readonly sourceTopic: string
  readonly attempt: number
  outputs: Outbox | undefined
  pending: Promise<void>[] | undefined

  constructor(record: RecordContext, attempt: number) {
    this.topic = record.topic
    this.partition = record.partition
    this.offset = record.offset
    this.timestamp = record.timestamp
    this.key = record.key
    this.headers = record.headers
    this.sourceTopic = record.sourceTopic
    this.attempt = attempt
  }

  emit<V = RawValue>(topic: string, key: RawValue, value: V, options: EmitOptions<V> = {}): Promise<void> {
    if (!this.outputs) this.outputs = new Outbox()
    const outputs = this.outputs
    const write = (bytes: RawValue) =>
      outputs.add(topic, {
        key,
        value: bytes,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.partition === undefined ? {} : { partition: options.partition }),
      })
    const encoder = options.encoder
    if (!encoder) {
      write(value as RawValue)
      return Promise.resolve()
    }
    const promise = Promise.resolve(encoder.encode(value, topic)).then(write)
    if (!this.pending) this.pending = []
    this.pending.push(promise)
    return promise
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

export function recordContext(fetched: FetchedRecord): RecordContext {
  const { message } = fetched
  return {
    topic: fetched.route.subscription.topic,
    partition: fetched.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key,
    headers: message.headers ?? {},
    sourceTopic: fetched.sourceTopic,
  }
}
