import { performance } from 'node:perf_hooks'
import { type Admin, Kafka, logLevel as KafkaLogLevel, type Message } from 'kafkajs'
import {
  BackboneError,
  BufferFullError,
  EventEncodeError,
  PublisherClosedError,
  PublishFailedError,
  RecordTooLargeError,
  UnknownTopicError,
} from '#libs/errors'
import { RecordAccumulator } from './accumulator.ts'
import { OrderedAdmission, type Ticket } from './admission.ts'
import { batchError } from './kafka-errors.ts'
import { assignOffsets } from './offsets.ts'
import { PUBLISHER_DEFAULTS, type ResolvedLimits, resolveLimits, validateOptions } from './options.ts'
import { recordingPartitioner } from './partitioner.ts'
import { ProducerSlots } from './producer-slots.ts'
import { buildMessage, chooseTraceparent, type OutgoingMessage, recordSize } from './record.ts'
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

export interface Publisher<Events extends Record<string, unknown>> {
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
  readonly eventType: string
  readonly topic: string
  readonly message: OutgoingMessage
  readonly size: number
  readonly resolve: (result: PublishResult) => void
  readonly reject: (error: Error) => void
  blockTimer: NodeJS.Timeout | undefined
}

export function createPublisher<Events extends Record<string, unknown>>(
  options: PublisherOptions<Events>,
): Publisher<Events> {
  return new KafkaPublisher(options)
}

class KafkaPublisher<Events extends Record<string, unknown>> implements Publisher<Events> {
  readonly #encoder: EventEncoder<Events>
  readonly #limits: ResolvedLimits
  readonly #options: PublisherOptions<Events>
  readonly #producers: ProducerSlots
  readonly #admin: Admin
  readonly #accumulator: RecordAccumulator<PendingRecord>
  readonly #admission = new OrderedAdmission<PendingRecord>()
  readonly #topics: TopicDirectory
  readonly #pending = new Set<Promise<PublishResult>>()
  #adminConnecting: Promise<void> | undefined
  #closing: Promise<void> | undefined
  #flushers = 0
  #inFlight = 0
  #lingerTimer: NodeJS.Timeout | undefined
  #counters = {
    batchesSent: 0,
    produceRequests: 0,
    recordsAcknowledged: 0,
    recordsFailed: 0,
    largestBatch: 0,
  }

  constructor(options: PublisherOptions<Events>) {
    validateOptions(options as PublisherOptions<Record<string, unknown>>)
    this.#options = options
    this.#encoder = options.encoder
    this.#limits = resolveLimits(options as PublisherOptions<Record<string, unknown>>)
    this.#accumulator = new RecordAccumulator(this.#limits)
    const kafka =
      options.kafka ??
      new Kafka({
        clientId: options.clientId ?? PUBLISHER_DEFAULTS.clientId,
        brokers: [...(options.brokers ?? [])],
        logLevel: options.logLevel ?? KafkaLogLevel.ERROR,
      })
    this.#producers = new ProducerSlots(() => {
      const producer = kafka.producer({
        idempotent: true,
        // Kafka keeps an idempotent producer's order with up to 5 unacknowledged requests per
        // connection; kafkajs also holds a per-broker lock around each idempotent Produce request.
        maxInFlightRequests: 5,
        allowAutoTopicCreation: false,
        createPartitioner: recordingPartitioner(),
        ...(options.retry ? { retry: options.retry } : {}),
      })
      producer.on(producer.events.REQUEST, (event) => {
        if (event.payload.apiName === 'Produce') this.#counters.produceRequests += 1
      })
      return producer
    })
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
    const publication = this.#publish(ticket, eventType, event, options)
    this.#pending.add(publication)
    const forget = () => this.#pending.delete(publication)
    publication.then(forget, forget)
    return publication
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
    if (this.#pending.size === 0) return
    const pending = [...this.#pending]
    this.#flushers += 1
    try {
      this.#drain()
      await Promise.allSettled(pending)
    } finally {
      this.#flushers -= 1
    }
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#pending.size > 0) await this.flush()
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

  async #publish<K extends keyof Events & string>(
    ticket: Ticket<PendingRecord>,
    eventType: K,
    event: Events[K],
    options: PublishOptions | undefined,
  ): Promise<PublishResult> {
    let message: OutgoingMessage
    let topic: string
    let size: number
    try {
      const traceparent = chooseTraceparent(options, this.#options.activeTraceparent)
      const encoded = await this.#encode(eventType, event)
      topic = encoded.topic
      message = buildMessage(eventType, encoded, options, traceparent)
      size = recordSize(message)
      if (size > this.#limits.maxBatchBytes || size > this.#limits.maxBufferedBytes) {
        throw new RecordTooLargeError(
          `${eventType} encodes to about ${size} bytes, more than maxBatchBytes ${this.#limits.maxBatchBytes} or maxBufferedBytes ${this.#limits.maxBufferedBytes}`,
          { context: { topic, eventType, size } },
        )
      }
      if (!this.#topics.isKnown(topic) && !(await this.#topicExists(topic, eventType))) {
        throw new UnknownTopicError(
          `topic "${topic}" of ${eventType} does not exist; create it first (topics are never auto-created)`,
          { context: { topic, eventType } },
        )
      }
    } catch (error) {
      this.#admission.cancel(ticket)
      this.#pump()
      throw error
    }
    return new Promise<PublishResult>((resolve, reject) => {
      const record: PendingRecord = {
        eventType,
        topic,
        message,
        size,
        resolve,
        reject,
        blockTimer: undefined,
      }
      this.#admission.ready(ticket, record)
      this.#pump()
      // Most publishes find room at once; only one that has to wait gets a timer.
      if (ticket.state !== 'done' && Number.isFinite(this.#limits.maxBlockMs)) {
        record.blockTimer = setTimeout(() => this.#giveUp(ticket, record), this.#limits.maxBlockMs)
      }
    })
  }

  async #encode(eventType: string, event: Events[keyof Events & string]): Promise<EncodedEvent> {
    let encoded: EncodedEvent
    try {
      encoded = await this.#encoder.encode(eventType, event)
    } catch (error) {
      if (error instanceof BackboneError) throw error
      throw new EventEncodeError(`could not encode ${eventType}: ${(error as Error)?.message ?? error}`, {
        cause: error,
        context: { eventType },
      })
    }
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
    return encoded
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
    if (admitted > 0) this.#drain()
  }

  /** Starts every batch that is ready, as far as the in-flight limit allows; arms the linger timer. */
  #drain(): void {
    const now = performance.now()
    const force = this.#flushers > 0 || this.#closing !== undefined
    while (
      this.#inFlight < this.#limits.maxInFlightBatches &&
      this.#accumulator.isReady(now, this.#limits.lingerMs, force)
    ) {
      void this.#send(this.#accumulator.drain())
    }
    const readyAt = this.#accumulator.readyAt(this.#limits.lingerMs)
    if (
      readyAt !== undefined &&
      this.#lingerTimer === undefined &&
      this.#inFlight < this.#limits.maxInFlightBatches
    ) {
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
        for (const [index, record] of batch.entries()) record.resolve(results[index]!)
      }
    } catch (error) {
      failed = true
      this.#counters.recordsFailed += batch.length
      settle = () => {
        for (const record of batch) {
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
