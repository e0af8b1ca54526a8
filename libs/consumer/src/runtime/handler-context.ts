import type { IHeaders } from 'kafkajs'
import type { EmitOptions, HandlerContext, RawValue, RecordContext } from '../types.ts'
import { Outbox } from './outbox.ts'
import type { FetchedRecord } from './process-record.ts'

const noHeaders: IHeaders = Object.freeze({}) as IHeaders

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

  /** The context of a record's first attempt, straight from the fetched record (no copy in between). */
  static first(fetched: FetchedRecord): Context {
    return new Context(fetched, 1)
  }

  constructor(source: RecordContext | FetchedRecord, attempt: number) {
    if ('route' in source) {
      const { message } = source
      this.topic = source.route.subscription.topic
      this.partition = source.partition
      this.offset = message.offset
      this.timestamp = message.timestamp
      this.key = message.key
      this.headers = message.headers ?? noHeaders
      this.sourceTopic = source.sourceTopic
    } else {
      this.topic = source.topic
      this.partition = source.partition
      this.offset = source.offset
      this.timestamp = source.timestamp
      this.key = source.key
      this.headers = source.headers
      this.sourceTopic = source.sourceTopic
    }
    this.attempt = attempt
  }

  emit<V = RawValue>(topic: string, key: RawValue, value: V, options: EmitOptions<V> = {}): Promise<void> {
    if (!this.outputs) this.outputs = new Outbox()
    const outputs = this.outputs
    const headers = options.headers
    const write = (bytes: RawValue) =>
      outputs.add(topic, {
        key,
        value: bytes,
        ...(headers ? { headers: typeof headers === 'function' ? headers(bytes) : headers } : {}),
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
