import { randomBytes } from 'node:crypto'
import { RegistryStoreTimeoutError, RegistryStoreUnavailableError } from '@event-backbone/errors'
import type { Admin, Consumer, Kafka } from 'kafkajs'
import { idPrefix } from '#libs/kafka'
import { decodeRecord } from './records.ts'
import type { RegistryState } from './state.ts'

interface Waiter {
  readonly target: number
  readonly resolve: () => void
  readonly reject: (error: Error) => void
}

/**
 * Follows the storage topic (one partition, read_committed) into the state. `position` is the
 * next offset to read; control records (transaction markers) and aborted records advance it
 * too, through kafkajs's END_BATCH_PROCESS event, so "caught up" means position >= end offset.
 */
export class StoreReader {
  readonly #kafka: Kafka
  readonly #admin: Admin
  readonly #topic: string
  readonly #state: RegistryState
  readonly #waiters = new Set<Waiter>()
  #consumer: Consumer | undefined
  #position = 0
  #failure: Error | undefined

  constructor(options: { kafka: Kafka; admin: Admin; topic: string; state: RegistryState }) {
    this.#kafka = options.kafka
    this.#admin = options.admin
    this.#topic = options.topic
    this.#state = options.state
  }

  get healthy(): boolean {
    return this.#failure === undefined
  }

  get position(): number {
    return this.#position
  }

  async start(): Promise<void> {
    // A fresh group per instance with no committed offsets: every start reads the topic from 0.
    const consumer = this.#kafka.consumer({
      groupId: `${idPrefix.registry}${this.#topic}-${randomBytes(6).toString('hex')}`,
      maxWaitTimeInMs: 250,
      readUncommitted: false,
      allowAutoTopicCreation: false,
    })
    this.#consumer = consumer
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic, partition, lastOffset } = event.payload
      if (topic === this.#topic && partition === 0) this.#advance(Number(lastOffset) + 1)
    })
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) this.#fail(event.payload.error)
    })
    await consumer.connect()
    await consumer.subscribe({ topic: this.#topic, fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const offset = Number(message.offset)
          if (offset < this.#position || message.key === null) continue
          const record = decodeRecord(
            message.key.toString(),
            message.value === null ? null : message.value.toString(),
          )
          if (record) this.#state.apply(record)
        }
        this.#advance(Number(batch.lastOffset()) + 1)
      },
    })
  }

  #advance(next: number): void {
    if (next <= this.#position) return
    this.#position = next
    for (const waiter of this.#waiters) {
      if (this.#position >= waiter.target) {
        this.#waiters.delete(waiter)
        waiter.resolve()
      }
    }
  }

  #fail(error: Error): void {
    this.#failure = new RegistryStoreUnavailableError(`the registry's reader stopped: ${error.message}`, {
      cause: error,
      context: { topic: this.#topic },
    })
    for (const waiter of this.#waiters) waiter.reject(this.#failure)
    this.#waiters.clear()
  }

  /** Resolves once every offset below `target` has been applied to the state. */
  waitForPosition(target: number, timeoutMs: number): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure)
    if (this.#position >= target) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter)
        reject(
          new RegistryStoreTimeoutError(
            `the reader reached offset ${this.#position} of ${this.#topic}, not ${target}, within ${timeoutMs} ms`,
            { context: { topic: this.#topic, partition: 0 } },
          ),
        )
      }, timeoutMs)
      const waiter: Waiter = {
        target,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      }
      this.#waiters.add(waiter)
    })
  }

  /** Reads up to the current end of the topic: after this the state holds every committed write. */
  async catchUp(timeoutMs: number): Promise<void> {
    let end: number
    try {
      const offsets = await this.#admin.fetchTopicOffsets(this.#topic)
      end = Number(offsets.find((offset) => offset.partition === 0)?.high ?? 0)
    } catch (error) {
      throw new RegistryStoreUnavailableError(`could not read the end offset of ${this.#topic}`, {
        cause: error,
        context: { topic: this.#topic },
      })
    }
    await this.waitForPosition(end, timeoutMs)
  }

  async stop(): Promise<void> {
    this.#fail(new Error('the registry is closing'))
    await this.#consumer?.disconnect().catch(() => {})
  }
}
