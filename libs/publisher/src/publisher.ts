import { performance } from 'node:perf_hooks'
import {
  BackboneError,
  BufferFullError,
  EventEncodeError,
  PublisherClosedError,
  PublishFailedError,
  RecordTooLargeError,
  TopicNotFoundError,
} from '@event-backbone/errors'
import type { Span } from '@opentelemetry/api'
import { type Admin, Kafka, logLevel as KafkaLogLevel, type Message } from 'kafkajs'
import { activeTracer, sourceReference } from '#libs/kafka'
import { RecordAccumulator } from './accumulator.ts'
import { OrderedAdmission, type Ticket } from './admission.ts'
import { batchError } from './kafka-errors.ts'
import { assignOffsets } from './offsets.ts'
import { PUBLISHER_DEFAULTS, type ResolvedLimits, resolveLimits, validateOptions } from './options.ts'
import { idempotentProducer, ProducerSlots } from './producer-slots.ts'
import { describePublish, endPublishSpan, startPublishSpan } from './publish-span.ts'
import {
  buildMessage,
  chooseTraceparent,
  hasExplicitTraceparent,
  type OutgoingMessage,
  recordSize,
} from './record.ts'
import { SettlementTracker } from './settlement.ts'
import { TopicDirectory } from './topic-directory.ts'
import type {
  EncodedEvent,
  EventEncoder,
  PublishEntry,
  PublisherOptions,
  PublisherStats,
  PublishOptions,
  PublishOutcome,
  PublishResult,
} from './types.ts'

export interface Publisher<Events extends object> {
  /** Resolves once the broker acknowledged (acks=all) the batch holding the event. */
  publish<K extends keyof Events & string>(
    eventType: K,
    event: Events[K],
    options?: PublishOptions,
  ): Promise<PublishResult>
  /** Publishes each entry in order; one outcome per entry, failures do not affect the others. */
  publishMany(entries: ReadonlyArray<PublishEntry<Events>>): Promise<PublishOutcome[]>
  /** Connects eagerly (otherwise the first publish does). */
  connect(): Promise<void>
  /** Sends everything accepted so far without lingering; resolves when all of it has settled. */
  flush(): Promise<void>
  /** Refuses new publishes, flushes, then disconnects. Idempotent. */
  close(): Promise<void>
  stats(): PublisherStats
}

interface PendingRecord {
  readonly id: number
  readonly eventType: string
  readonly topic: string
  readonly message: OutgoingMessage
  readonly size: number
  readonly resolve: (result: PublishResult) => void
  readonly reject: (error: Error) => void
  blockTimer: NodeJS.Timeout | undefined
}

function encodeError(eventType: string, error: unknown): Error {
  if (error instanceof BackboneError) return error
  return new EventEncodeError(`could not encode ${eventType}: ${(error as Error)?.message ?? error}`, {
    cause: error,
    context: { eventType },
  })
}

export function createPublisher<Events extends object>(options: PublisherOptions<Events>): Publisher<Events> {
  return new KafkaPublisher(options)
}

class KafkaPublisher<Events extends object> implements Publisher<Events> {
  readonly #encoder: EventEncoder<Events>
  readonly #source: string
  readonly #limits: ResolvedLimits
  readonly #options: PublisherOptions<Events>
  readonly #producers: ProducerSlots
  readonly #admin: Admin
  readonly #accumulator: RecordAccumulator<PendingRecord>
  readonly #admission = new OrderedAdmission<PendingRecord>()
  readonly #topics: TopicDirectory
  readonly #settlement = new SettlementTracker()
  #adminConnecting: Promise<void> | undefined
  #closing: Promise<void> | undefined
  // One batch in flight at a time: see docs/publisher.md, "Why one batch in flight".
  #inFlight = 0
  #lingerTimer: NodeJS.Timeout | undefined
  #drainQueued = false
  #counters = {
    batchesSent: 0,
    produceRequests: 0,
    recordsAcknowledged: 0,
    recordsFailed: 0,
    largestBatch: 0,
  }

  constructor(options: PublisherOptions<Events>) {
    validateOptions(options as PublisherOptions<object>)
    this.#options = options
    this.#encoder = options.encoder
    this.#source = sourceReference(options.source ?? options.clientId ?? PUBLISHER_DEFAULTS.clientId)
    this.#limits = resolveLimits(options as PublisherOptions<object>)
    this.#accumulator = new RecordAccumulator(this.#limits)
    const kafka =
      options.kafka ??
      new Kafka({
        clientId: options.clientId ?? PUBLISHER_DEFAULTS.clientId,
        brokers: [...(options.brokers ?? [])],
        logLevel: options.logLevel ?? KafkaLogLevel.ERROR,
      })
    this.#producers = new ProducerSlots(() =>
      idempotentProducer(kafka, options.retry, () => {
        this.#counters.produceRequests += 1
      }),
    )
    this.#admin = kafka.admin()
    this.#topics = new TopicDirectory(async () => {
      await this.#connectAdmin()
      return this.#admin.listTopics()
    })
  }

  async connect(): Promise<void> {
    await Promise.all([this.#producers.connect(), this.#connectAdmin()])
  }

  #connectAdmin(): Promise<void> {
    this.#adminConnecting ??= this.#admin.connect().then(
      () => {},
      (error: unknown) => {
        this.#adminConnecting = undefined
        throw error
      },
    )
    return this.#adminConnecting
  }

  publish<K extends keyof Events & string>(
    eventType: K,
    event: Events[K],
    options?: PublishOptions,
  ): Promise<PublishResult> {
    if (this.#closing) {
      return Promise.reject(
        new PublisherClosedError(`the publisher is closed: ${eventType} was not published`, {
          context: { eventType },
        }),
      )
    }
    const ticket = this.#admission.open()
    const id = this.#settlement.open()
    // Callbacks rather than async functions: this runs once per event, and every async hop costs.
    return new Promise<PublishResult>((settleOk, settleError) => {
      const tracer = activeTracer()
      let span: Span | undefined
      let resolve: (result: PublishResult) => void = settleOk
      let reject: (error: unknown) => void = settleError
      if (tracer) {
        resolve = (result) => {
          endPublishSpan(span!, { result })
          settleOk(result)
        }
        reject = (error) => {
          if (span) endPublishSpan(span, { error })
          settleError(error)
        }
      }
      const fail = (error: unknown) => {
        this.#admission.cancel(ticket)
        this.#settlement.settle(id)
        reject(error)
        this.#pump()
      }
      let traceparent: string
      let encoding: Promise<EncodedEvent>
      try {
        traceparent = chooseTraceparent(options, this.#options.activeTraceparent)
        if (tracer) {
          const explicit = hasExplicitTraceparent(options) ? traceparent : undefined
          const started = startPublishSpan(tracer, eventType, explicit)
          span = started.span
          traceparent = started.traceparent ?? traceparent
        }
        encoding = this.#encoder.encode(eventType, event)
      } catch (error) {
        fail(encodeError(eventType, error))
        return
      }
      Promise.resolve(encoding).then(
        (encoded) => {
          try {
            const record = this.#record(id, eventType, encoded, options, traceparent, resolve, reject)
            if (span) describePublish(span, record.topic, record.message.key)
            if (this.#topics.isKnown(record.topic)) this.#enqueue(ticket, record)
            else {
              this.#topicExists(record.topic, eventType).then((exists) => {
                if (exists) return this.#enqueue(ticket, record)
                fail(
                  new TopicNotFoundError(
                    `topic "${record.topic}" of ${eventType} does not exist; create it first (topics are never auto-created)`,
                    { context: { topic: record.topic, eventType } },
                  ),
                )
              }, fail)
            }
          } catch (error) {
            fail(error)
          }
        },
        (error: unknown) => fail(encodeError(eventType, error)),
      )
    })
  }

  async publishMany(entries: ReadonlyArray<PublishEntry<Events>>): Promise<PublishOutcome[]> {
    return Promise.all(
      entries.map((entry) =>
        this.publish(entry.eventType, entry.event, entry.options).then(
          (result): PublishOutcome => ({ ok: true, result }),
          (error: Error): PublishOutcome => ({ ok: false, error }),
        ),
      ),
    )
  }

  async flush(): Promise<void> {
    const settled = this.#settlement.whenSettled()
    this.#drain()
    await settled
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.flush()
      const admin = this.#adminConnecting?.then(() => this.#admin.disconnect())
      await Promise.allSettled([this.#producers.close(), admin])
    })()
    return this.#closing
  }

  stats(): PublisherStats {
    const accumulator = this.#accumulator
    return {
      bufferedRecords: accumulator.bufferedRecords,
      bufferedBytes: accumulator.bufferedBytes,
      maxBufferedRecordsSeen: accumulator.maxBufferedRecordsSeen,
      maxBufferedBytesSeen: accumulator.maxBufferedBytesSeen,
      waitingPublishes: this.#admission.waiting,
      inFlightBatches: this.#inFlight,
      batchesSent: this.#counters.batchesSent,
      produceRequests: this.#counters.produceRequests,
      recordsAcknowledged: this.#counters.recordsAcknowledged,
      recordsFailed: this.#counters.recordsFailed,
      largestBatchRecords: this.#counters.largestBatch,
      producerReplacements: this.#producers.replacements,
    }
  }

  /** The record of an encoded event, checked; throws what the publish should reject with. */
  #record(
    id: number,
    eventType: string,
    encoded: EncodedEvent,
    options: PublishOptions | undefined,
    traceparent: string,
    resolve: (result: PublishResult) => void,
    reject: (error: Error) => void,
  ): PendingRecord {
    if (
      !encoded ||
      typeof encoded.topic !== 'string' ||
      encoded.topic === '' ||
      !Buffer.isBuffer(encoded.value)
    ) {
      throw new EventEncodeError(`the encoder returned no topic or no value Buffer for ${eventType}`, {
        context: { eventType },
      })
    }
    const message = buildMessage(eventType, encoded, options, traceparent, this.#source)
    const size = recordSize(message)
    if (size > this.#limits.maxBatchBytes || size > this.#limits.maxBufferedBytes) {
      throw new RecordTooLargeError(
        `${eventType} encodes to about ${size} bytes, more than maxBatchBytes ${this.#limits.maxBatchBytes} or maxBufferedBytes ${this.#limits.maxBufferedBytes}`,
        { context: { topic: encoded.topic, eventType, size } },
      )
    }
    return { id, eventType, topic: encoded.topic, message, size, resolve, reject, blockTimer: undefined }
  }

  #enqueue(ticket: Ticket<PendingRecord>, record: PendingRecord): void {
    this.#admission.ready(ticket, record)
    this.#pump()
    if (ticket.state === 'done') return
    // maxBlockMs 0 means "never wait for room": refuse now rather than on a 0 ms timer, which an
    // acknowledgement could beat on a loaded machine (it then found room it was not meant to wait for).
    if (this.#limits.maxBlockMs === 0 && this.#admission.atHead(ticket)) {
      this.#giveUp(ticket, record)
      return
    }
    // Most publishes find room at once; only one that has to wait gets a timer.
    if (Number.isFinite(this.#limits.maxBlockMs)) {
      record.blockTimer = setTimeout(() => this.#giveUp(ticket, record), this.#limits.maxBlockMs)
    }
  }

  async #topicExists(topic: string, eventType: string): Promise<boolean> {
    try {
      return await this.#topics.exists(topic)
    } catch (error) {
      throw new PublishFailedError(`could not look up topic "${topic}": ${(error as Error)?.message}`, {
        cause: error,
        context: { topic, eventType },
      })
    }
  }

  #giveUp(ticket: Ticket<PendingRecord>, record: PendingRecord): void {
    if (!this.#admission.cancel(ticket)) return
    this.#settlement.settle(record.id)
    record.reject(
      new BufferFullError(
        `${record.eventType} waited ${this.#limits.maxBlockMs} ms for room in the publish buffer (maxBlockMs)`,
        { context: { topic: record.topic, eventType: record.eventType } },
      ),
    )
    this.#pump()
  }

  /** Moves records that fit, in publish order, from waiting into the buffer. */
  #pump(): void {
    const now = performance.now()
    const admitted = this.#admission.pump((record) => {
      if (!this.#accumulator.hasRoomFor(record.size)) return false
      if (record.blockTimer) clearTimeout(record.blockTimer)
      this.#accumulator.append(record, now)
      return true
    })
    if (admitted > 0 && !this.#drainQueued) {
      // Publishes whose encodings finish in the same turn all join the buffer before a batch is cut,
      // so a flush (or lingerMs 0) does not send them one by one.
      this.#drainQueued = true
      queueMicrotask(() => {
        this.#drainQueued = false
        this.#drain()
      })
    }
  }

  /** Sends the next batch when none is in flight and one is ready; else arms the linger timer. */
  #drain(): void {
    if (this.#inFlight > 0) return
    const now = performance.now()
    const force = this.#settlement.awaited || this.#closing !== undefined
    if (this.#accumulator.isReady(now, this.#limits.lingerMs, force)) {
      void this.#send(this.#accumulator.drain())
      return
    }
    const readyAt = this.#accumulator.readyAt(this.#limits.lingerMs)
    if (readyAt !== undefined && this.#lingerTimer === undefined) {
      this.#lingerTimer = setTimeout(
        () => {
          this.#lingerTimer = undefined
          this.#drain()
        },
        Math.max(0, readyAt - now),
      )
    }
  }

  async #send(batch: PendingRecord[]): Promise<void> {
    this.#inFlight += 1
    this.#counters.largestBatch = Math.max(this.#counters.largestBatch, batch.length)
    const slot = this.#producers.acquire()
    let failed = false
    let settle: () => void
    try {
      if (!slot.connected) await this.#producers.connect(slot)
      const byTopic = new Map<string, Message[]>()
      for (const record of batch) {
        const messages = byTopic.get(record.topic)
        if (messages) messages.push(record.message)
        else byTopic.set(record.topic, [record.message])
      }
      this.#counters.batchesSent += 1
      const metadata = await slot.producer.sendBatch({
        acks: -1,
        timeout: this.#limits.ackTimeoutMs,
        ...(this.#options.compression === undefined ? {} : { compression: this.#options.compression }),
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      })
      const results = assignOffsets(
        batch.map((record) => ({ topic: record.topic, partition: record.message.partition })),
        metadata,
      )
      this.#counters.recordsAcknowledged += batch.length
      settle = () => {
        for (const [index, record] of batch.entries()) {
          this.#settlement.settle(record.id)
          record.resolve(results[index]!)
        }
      }
    } catch (error) {
      failed = true
      this.#counters.recordsFailed += batch.length
      settle = () => {
        for (const record of batch) {
          this.#settlement.settle(record.id)
          record.reject(batchError(error, { topic: record.topic, eventType: record.eventType }))
        }
      }
    }
    this.#producers.release(slot, failed)
    this.#accumulator.release(batch)
    this.#inFlight -= 1
    // The next batch goes out before the callers of this one resume, so the broker is not idle
    // while their continuations run.
    this.#pump()
    this.#drain()
    settle()
  }
}
