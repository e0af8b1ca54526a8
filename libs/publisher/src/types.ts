import type { CompressionTypes, Kafka, logLevel, RetryOptions } from 'kafkajs'

export type HeaderValue = string | Buffer
export type Headers = Record<string, HeaderValue>

/** One event turned into a Kafka record: where it goes, its key, its bytes. */
export interface EncodedEvent {
  readonly topic: string
  readonly key: Buffer | string | null
  readonly value: Buffer
  readonly headers?: Headers
  /**
   * The event's CloudEvents facts: with them the record carries the CloudEvents Kafka binding
   * (libs/kafka/src/wire/cloudevents.ts); the publisher adds `source` and `traceparent`.
   */
  readonly cloudEvent?: EventFacts
}

/** What only the encoder knows of an event: its id, namespaced type, time and registry schema. */
export interface EventFacts {
  readonly id: string
  readonly type: string
  readonly time: Date | number | string
  readonly dataschema: string
  readonly contentType?: string
}

/**
 * Turns events into records. The catalog-backed implementation picks the topic by event type, the
 * key from the catalog's key field and writes Avro in the Confluent wire format. Throwing (or
 * rejecting) fails that one publish only.
 */
export interface EventEncoder<Events extends object> {
  encode<K extends keyof Events & string>(eventType: K, event: Events[K]): Promise<EncodedEvent>
}

export interface PublishOptions {
  /** W3C traceparent to carry; else the active context's, else a fresh one. Invalid values reject. */
  readonly traceparent?: string
  /** Extra headers. The publisher's own (`traceparent`, `eb-event-type`) take precedence. */
  readonly headers?: Headers
  /**
   * `ce_source` of this record, a URI-reference; else the publisher's `source`. The gateway sets
   * it to the source of a CloudEvent it received, as the event's producer is its client.
   */
  readonly source?: string
}

/** Where the broker stored the event: known only after it acknowledged (acks=all). */
export interface PublishResult {
  readonly topic: string
  readonly partition: number
  readonly offset: string
}

export type PublishEntry<Events extends object> = {
  [K in keyof Events & string]: { eventType: K; event: Events[K]; options?: PublishOptions }
}[keyof Events & string]

export type PublishOutcome =
  | { readonly ok: true; readonly result: PublishResult }
  | { readonly ok: false; readonly error: Error }

export interface PublisherStats {
  /** Records accepted into the buffer and not yet acknowledged or failed (queued + in flight). */
  readonly bufferedRecords: number
  readonly bufferedBytes: number
  /** High-water marks of the two above since the publisher was created. */
  readonly maxBufferedRecordsSeen: number
  readonly maxBufferedBytesSeen: number
  /** Publishes encoded (or encoding) but not yet admitted to the buffer: they are waiting. */
  readonly waitingPublishes: number
  readonly inFlightBatches: number
  /** `sendBatch` calls made, and Produce requests kafkajs reported sending (instrumentation). */
  readonly batchesSent: number
  readonly produceRequests: number
  readonly recordsAcknowledged: number
  readonly recordsFailed: number
  readonly largestBatchRecords: number
  /** Producers replaced after a failed batch (each gets a fresh producer id; see producer-slots.ts). */
  readonly producerReplacements: number
}

export interface PublisherOptions<Events extends object> {
  readonly encoder: EventEncoder<Events>
  /** A configured client (TLS, SASL, logging). Or give `brokers` and the publisher makes one. */
  readonly kafka?: Kafka
  readonly brokers?: readonly string[]
  readonly clientId?: string
  /** `ce_source` of what this publisher writes (a URI-reference); default: `clientId`. */
  readonly source?: string
  readonly logLevel?: logLevel
  /** How long the first record of a batch may wait for others to join it. */
  readonly lingerMs?: number
  readonly maxBatchRecords?: number
  readonly maxBatchBytes?: number
  readonly maxBufferedRecords?: number
  readonly maxBufferedBytes?: number
  /** How long a publish may wait for room in a full buffer before it rejects (Infinity: forever). */
  readonly maxBlockMs?: number
  /** kafkajs produce request timeout. */
  readonly ackTimeoutMs?: number
  readonly compression?: CompressionTypes
  /** kafkajs retry options of the producer; kafkajs's idempotent default retries forever. */
  readonly retry?: RetryOptions
  /** Supplies the active trace context's traceparent (observability plugs in here). */
  readonly activeTraceparent?: () => string | undefined
}
