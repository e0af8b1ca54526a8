import { type Admin, type Message, Partitioners, type PartitionMetadata, type TopicMessages } from 'kafkajs'

/** How long a topic's partition count is trusted before it is read again (topics may grow). */
const countTtlMs = 60_000

/**
 * Splits a transaction's records into one send per topic partition.
 *
 * kafkajs 2.2.4 groups a send's records by partition leader and, when one leader fails, retries
 * only the brokers that have not answered yet — but it regroups the partitions by their new
 * leaders first, so a partition that moved to a broker that had already answered is never sent,
 * and the send still resolves (kafkajs issue #1303, PR #1798 unmerged). Inside a transaction that
 * commits a record's offset without some of its outputs or state changes: the broker-failover chaos
 * scenario saw ledger postings duplicated after a broker was killed (the posted-payments
 * changelog entries of a committed transaction were missing, so a redelivered duplicate payment
 * was posted again). With one partition per send, a retry resends that partition to its current
 * leader, whoever answered for other partitions.
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
