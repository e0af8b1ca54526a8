import type { Admin, Kafka, Producer } from 'kafkajs'
import { recordingPartitioner, transactionalIdFor, transactionalRetry } from '#libs/kafka'
import { PartitionSends } from './partition-sends.ts'

export interface PartitionProducer {
  readonly producer: Producer
  /**
   * The partition's first offset not yet committed, as far as this producer knows; records below it
   * are skipped. Read from the group right after this producer fenced its predecessors (their
   * transactions are committed or aborted by then, so it is stable), then moved by each of its own
   * commits. Its own commits matter because kafkajs re-reads the group's offsets after every
   * rebalance with an OffsetFetch that predates KIP-447's `requireStable`: until the coordinator has
   * written the markers of the transaction that just committed, that read returns the offset before
   * it, and kafkajs would hand this member the records it has already committed.
   */
  floor: bigint | undefined
}

/**
 * One transactional producer per assigned input partition. kafkajs has no KIP-447 (fencing by group
 * generation), so the transactional id is derived from group, topic and partition: whoever owns the
 * partition next creates a producer with the same id, which fences this one and aborts its open
 * transaction.
 */
export class ProducerPool {
  readonly #kafka: Kafka
  readonly #admin: Admin
  readonly #groupId: string
  readonly #transactionTimeout: number
  readonly #producers = new Map<string, Promise<PartitionProducer>>()
  /** Splits each transactional send by partition (partition-sends.ts says why). */
  readonly sends: PartitionSends

  constructor(kafka: Kafka, admin: Admin, groupId: string, transactionTimeout: number) {
    this.#kafka = kafka
    this.#admin = admin
    this.sends = new PartitionSends(admin)
    this.#groupId = groupId
    this.#transactionTimeout = transactionTimeout
  }

  get(topic: string, partition: number): Promise<PartitionProducer> {
    const key = `${topic}\u0000${partition}`
    let entry = this.#producers.get(key)
    if (!entry) {
      entry = this.#create(topic, partition)
      this.#producers.set(key, entry)
      entry.catch(() => this.#producers.delete(key))
    }
    return entry
  }

  async #create(topic: string, partition: number): Promise<PartitionProducer> {
    const producer = this.#kafka.producer({
      transactionalId: transactionalIdFor(this.#groupId, topic, partition),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.#transactionTimeout,
      // Records which partition each record went to, so a send's answer can be checked (batch-transaction.ts).
      createPartitioner: recordingPartitioner(),
      retry: transactionalRetry,
    })
    await producer.connect()
    // kafkajs's connect() initialises a plain idempotent producer id; the transactional id (which
    // fences the previous owner and waits until its last transaction completed) is initialised by
    // the first transaction() call. Open an empty one (it ends without a request) so the floor below
    // is read after the fencing, as the comment on `floor` requires, not before it.
    await (await producer.transaction()).abort()
    const [offsets] = await this.#admin.fetchOffsets({ groupId: this.#groupId, topics: [topic] })
    const committed = offsets?.partitions.find((p) => p.partition === partition)?.offset
    return {
      producer,
      floor: committed && BigInt(committed) >= 0n ? BigInt(committed) : undefined,
    }
  }

  /** Closes the producer of one partition (after a failed transaction, or on revocation). */
  async drop(topic: string, partition: number): Promise<void> {
    const key = `${topic}\u0000${partition}`
    const entry = this.#producers.get(key)
    this.#producers.delete(key)
    await entry?.then((p) => p.producer.disconnect()).catch(() => {})
  }

  /** Keeps the producers of the assigned partitions and closes the others. */
  async retain(assignment: Readonly<Record<string, readonly number[]>>): Promise<void> {
    const keep = new Set(
      Object.entries(assignment).flatMap(([topic, partitions]) =>
        partitions.map((p) => `${topic}\u0000${p}`),
      ),
    )
    const gone = [...this.#producers.keys()].filter((key) => !keep.has(key))
    await Promise.all(
      gone.map((key) => {
        const [topic, partition] = key.split('\u0000') as [string, string]
        return this.drop(topic, Number(partition))
      }),
    )
  }

  async closeAll(): Promise<void> {
    await this.retain({})
  }

  get size(): number {
    return this.#producers.size
  }
}
