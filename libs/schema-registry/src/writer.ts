import type { Kafka, Producer, Transaction } from 'kafkajs'
import { encodeKey, encodeValue, type StoreRecord } from './records.ts'

/**
 * The single writer: a transactional producer whose transactionalId is derived from the storage
 * topic, so every registry instance on that topic shares it. Initialising it (on the first
 * transaction) bumps the producer epoch and fences any older instance: that instance's next
 * AddPartitionsToTxn, produce or EndTxn fails, and it must re-initialise and catch up before it
 * writes again. A producer that failed once is thrown away, never reused.
 */
export class StoreWriter {
  readonly #kafka: Kafka
  readonly #topic: string
  readonly #transactionalId: string
  #producer: Producer | undefined

  constructor(options: { kafka: Kafka; topic: string; transactionalId: string }) {
    this.#kafka = options.kafka
    this.#topic = options.topic
    this.#transactionalId = options.transactionalId
  }

  /** Opens a transaction, initialising (and so fencing the previous writer) when needed. */
  async begin(): Promise<Transaction> {
    if (!this.#producer) {
      const producer = this.#kafka.producer({
        transactionalId: this.#transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        transactionTimeout: 30_000,
        retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 },
      })
      this.#producer = producer
      try {
        await producer.connect()
      } catch (error) {
        await this.reset()
        throw error
      }
    }
    try {
      return await this.#producer.transaction()
    } catch (error) {
      await this.reset()
      throw error
    }
  }

  /** Appends the records in the transaction and commits; answers the offset of the last one. */
  async commit(transaction: Transaction, records: readonly StoreRecord[]): Promise<number> {
    try {
      const metadata = await transaction.send({
        topic: this.#topic,
        acks: -1,
        messages: records.map((record) => ({
          key: encodeKey(record.key),
          value: encodeValue(record),
          partition: 0,
        })),
      })
      await transaction.commit()
      const base = Number(metadata.find((entry) => entry.partition === 0)?.baseOffset ?? -1)
      return base + records.length - 1
    } catch (error) {
      await transaction.abort().catch(() => {})
      await this.reset()
      throw error
    }
  }

  /** Ends a transaction that wrote nothing (no EndTxn is sent for it). */
  async discard(transaction: Transaction): Promise<void> {
    try {
      await transaction.abort()
    } catch {
      await this.reset()
    }
  }

  async reset(): Promise<void> {
    const producer = this.#producer
    this.#producer = undefined
    await producer?.disconnect().catch(() => {})
  }
}
