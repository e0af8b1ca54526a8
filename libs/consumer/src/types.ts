import type { IHeaders, Kafka, KafkaConfig } from 'kafkajs'
import type { PolicyInput } from './policy/types.ts'

/** Where a record came from, as the decoder and handler see it. */
export interface RecordContext {
  /** The subscribed topic (for a record read from a retry topic: the original topic). */
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly timestamp: string
  readonly key: Buffer | null
  readonly headers: IHeaders
  /** The topic the record was actually read from (the domain topic or one of the group's retry topics). */
  readonly sourceTopic: string
}

/**
 * Turns record bytes into an event. A thrown error with `retriable === false` (bad magic byte,
 * unknown schema id, unparsable Avro) dead-letters the record at once; `retriable === true`
 * (registry unavailable) follows the retry policy. A null record value arrives as an empty buffer.
 */
export interface Decoder<T> {
  decode(bytes: Buffer, record: RecordContext): T | Promise<T>
}

/** Turns an output event into bytes for `ctx.emit`. */
export interface Encoder<V> {
  encode(value: V, topic: string): Buffer | Promise<Buffer>
}

export type RawValue = Buffer | string | null

export interface EmitOptions<V> {
  /** The output's headers, or a function of its encoded value (for headers that name its schema). */
  readonly headers?: IHeaders | ((value: RawValue) => IHeaders)
  readonly partition?: number
  readonly encoder?: Encoder<V>
}

export interface HandlerContext extends RecordContext {
  /** 1 for the first try; counts every handler call for this record, across retry topics. */
  readonly attempt: number
  /**
   * Produces an output record. Outputs are sent only when the handler succeeds: before the input
   * offset is committed (at-least-once), or in the same transaction as the offset (exactly-once).
   */
  emit<V = RawValue>(topic: string, key: RawValue, value: V, options?: EmitOptions<V>): Promise<void>
}

export type Handler<T> = (value: T, ctx: HandlerContext) => void | Promise<void>

/** A partition of a subscribed (domain) topic. */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/**
 * Partition lifecycle hooks of a subscription, declared where the state they maintain is used
 * (`subscription({ ..., hooks: store.hooks })`). Called for the domain topic's partitions only.
 */
export interface PartitionHooks {
  /** The partition is this member's (again) after a group join: called before its first batch. */
  onAssign?(partition: TopicPartition): void | Promise<void>
  /** The partition is no longer this member's (a rebalance moved it, the group stopped or crashed). */
  onRevoke?(partition: TopicPartition): void | Promise<void>
  /**
   * Records from `offset` on are delivered again (an aborted transaction, a batch that ended early,
   * kafkajs fetching from an older committed offset): called before that batch.
   */
  onRewind?(partition: TopicPartition, offset: string): void | Promise<void>
}

/** Decides before the handler whether a record is handled; false skips it (counted, offset moves). */
export type Filter<T> = (value: T, record: RecordContext) => boolean

export interface Subscription<T> {
  readonly topic: string
  readonly decode: Decoder<T>
  readonly handler: Handler<T>
  /** Runs after decoding, before the handler: records it returns false for are skipped. */
  readonly filter?: Filter<T>
  readonly hooks?: PartitionHooks
  readonly policy?: PolicyInput
}

/** A subscription with its event type erased, so one group can hold several event types. */
export interface AnySubscription {
  readonly topic: string
  readonly decode: Decoder<unknown>
  readonly handler: (value: never, ctx: HandlerContext) => void | Promise<void>
  readonly filter?: (value: never, record: RecordContext) => boolean
  readonly hooks?: PartitionHooks
  readonly policy?: PolicyInput
}

/** Carries T from the decoder to the handler: `subscription({ topic, decode: avro<Payment>(), handler })`. */
export function subscription<T>(definition: Subscription<T>): Subscription<T> {
  return definition
}

export interface Logger {
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
}

/** kafkajs consumer settings the runtime passes through; the defaults are tuned for fast start-up. */
export interface ConsumerTuning {
  readonly sessionTimeout?: number
  readonly rebalanceTimeout?: number
  readonly heartbeatInterval?: number
  readonly maxWaitTimeInMs?: number
  readonly maxBytesPerPartition?: number
  readonly maxBytes?: number
}

export interface ExactlyOnceOptions {
  /** Records per transaction at most; a larger fetched batch becomes several transactions. */
  readonly maxBatchRecords?: number
  /** Outputs are sent into the open transaction once this many are buffered. */
  readonly flushRecords?: number
  readonly transactionTimeoutMs?: number
}

export interface ConsumerGroupOptions {
  readonly groupId: string
  /** A kafkajs client, or its config; the default is `kafkaConfigFromEnv()`. */
  readonly kafka?: Kafka | KafkaConfig
  readonly defaults?: PolicyInput
  readonly subscriptions: readonly AnySubscription[]
  /** Where a group without committed offsets starts. Default: the beginning. */
  readonly fromBeginning?: boolean
  /** Create missing retry and dead-letter topics at start-up. Default: true. */
  readonly provisionTopics?: boolean
  readonly retryTopicConfigs?: Readonly<Record<string, string>>
  readonly deadLetterTopicConfigs?: Readonly<Record<string, string>>
  readonly exactlyOnce?: ExactlyOnceOptions
  /** At-least-once: how often resolved offsets are committed inside a long batch. Default 1 s. */
  readonly commitIntervalMs?: number
  readonly consumer?: ConsumerTuning
  /** How long `stop()` may take before it gives up on the in-flight batch. Default 20 s. */
  readonly shutdownTimeoutMs?: number
  /** Stop gracefully on SIGTERM and SIGINT. Default: false (services turn it on). */
  readonly handleSignals?: boolean
  readonly logger?: Logger
}
