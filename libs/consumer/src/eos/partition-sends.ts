import { type Admin, type Message, Partitioners, type PartitionMetadata, type TopicMessages } from 'kafkajs'

/** How long a topic's partition count is trusted before it is read again (topics may grow). */
const countTtlMs = 60_000

/**
 * Splits a transaction's records into one send per topic partition.
 *
 * kafkajs 2.2.4 sends a multi-leader batch as one request per broker under `Promise.all` and, when
 * one of them fails with a retriable error (CONCURRENT_TRANSACTIONS on AddPartitionsToTxn is common
 * right after a commit; a leader move), retries at once: a request still in flight to another
 * broker has no answer yet, so its records are sent again with new sequence numbers and the broker
 * writes them twice, inside the same transaction. The chaos scenarios on a 3-node cluster found
 * ledger postings committed twice this way (Kafka's Java consumer read them read_committed);
 * a single broker never shows it. It also regroups partitions by their new leaders but resends only
 * to brokers without an answer, so a partition that moved to one that answered is never sent
 * (kafkajs issue #1303). With one partition per send each call has one broker, so neither happens.
 *
 * Records without an explicit partition get the one kafkajs's DefaultPartitioner would choose
 * (murmur2 of the key over the partition count), so keys land where they always did.
 */
export class PartitionSends {
  readonly #admin: Admin
  readonly #counts = new Map<string, { count: number; at: number }>()
  readonly #partitioner = Partitioners.DefaultPartitioner()

  constructor(admin: Admin) {
    this.#admin = admin
  }

  async #count(topic: string): Promise<number> {
    const known = this.#counts.get(topic)
    if (known && Date.now() - known.at < countTtlMs) return known.count
    const { topics } = await this.#admin.fetchTopicMetadata({ topics: [topic] })
    const count = topics[0]?.partitions.length ?? 0
    if (count === 0) throw new Error(`topic ${topic} has no partitions in the cluster's metadata`)
    this.#counts.set(topic, { count, at: Date.now() })
    return count
  }

  /** The records as one `{ topic, messages }` per partition, each message with its partition set. */
  async split(batch: readonly TopicMessages[]): Promise<TopicMessages[]> {
    const groups = new Map<string, { topic: string; messages: Message[] }>()
    for (const { topic, messages } of batch) {
      let metadata: PartitionMetadata[] | undefined
      for (const message of messages) {
        let partition = message.partition
        if (partition === undefined) {
          // Only the count matters to the partitioner for a keyed record; every partition "has a
          // leader" so a key-less one may go to any.
          metadata ??= Array.from({ length: await this.#count(topic) }, (_, id) => ({
            partitionErrorCode: 0,
            partitionId: id,
            leader: 0,
            replicas: [0],
            isr: [0],
          }))
          partition = this.#partitioner({ topic, partitionMetadata: metadata, message })
        }
        const key = `${topic}\u0000${partition}`
        const group = groups.get(key) ?? { topic, messages: [] }
        group.messages.push({ ...message, partition })
        groups.set(key, group)
      }
    }
    return [...groups.values()]
  }
}
