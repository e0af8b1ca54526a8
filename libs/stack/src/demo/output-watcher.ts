import { randomUUID } from 'node:crypto'
import { type EventOf, type EventType, eventTypeForTopic, isCatalogTopic } from '@event-backbone/catalog'
import type { EventSerde } from '@event-backbone/serde'
import { type Consumer, type IHeaders, Kafka, logLevel } from 'kafkajs'

export interface ObservedRecord {
  readonly topic: string
  readonly headers: IHeaders
  /** Decoded with the catalog type of its topic; for a dead-letter topic, of its source topic. */
  readonly value: unknown
}

/**
 * Reads the stack's output topics (and dead-letter topics) read_committed and keeps every record
 * decoded, so the demo can tell which of its events reached which output.
 */
export class OutputWatcher {
  readonly records: ObservedRecord[] = []
  readonly #consumer: Consumer

  private constructor(consumer: Consumer) {
    this.#consumer = consumer
  }

  static async start(options: {
    readonly brokers: readonly string[]
    readonly serde: EventSerde
    /** Output topics of the catalog, and dead-letter topics with the event type they hold. */
    readonly topics: readonly string[]
    readonly deadLetters: Readonly<Record<string, EventType>>
  }): Promise<OutputWatcher> {
    const kafka = new Kafka({
      clientId: 'backbone-demo',
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
    })
    const consumer = kafka.consumer({
      groupId: `backbone-demo-${randomUUID()}`,
      readUncommitted: false,
      maxWaitTimeInMs: 200,
    })
    const watcher = new OutputWatcher(consumer)
    await consumer.connect()
    await consumer.subscribe({
      topics: [...options.topics, ...Object.keys(options.deadLetters)],
      fromBeginning: true,
    })
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const eventType =
          options.deadLetters[topic] ?? (isCatalogTopic(topic) ? eventTypeForTopic(topic) : undefined)
        if (!eventType || !message.value) return
        const value = await options.serde.decode(eventType, message.value).catch(() => undefined)
        if (value !== undefined) watcher.records.push({ topic, headers: message.headers ?? {}, value })
      },
    })
    return watcher
  }

  /** Decoded values seen on a topic, typed as the given event type. */
  on<E extends EventType>(topic: string, _eventType: E): EventOf<E>[] {
    return this.records.filter((record) => record.topic === topic).map((record) => record.value as EventOf<E>)
  }

  stop(): Promise<void> {
    return this.#consumer.disconnect()
  }
}
