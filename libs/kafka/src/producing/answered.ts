import {
  type ICustomPartitioner,
  type Message,
  Partitioners,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs'

/**
 * kafkajs's default (Java-compatible murmur2) partitioner, writing the partition it picks into the
 * message so a send's answer can be checked against what was sent (and acknowledged offsets mapped
 * back to records). kafkajs partitions again on every retry of a batch; the default partitioner
 * honours `message.partition`, so a key-less record keeps its partition between attempts
 * (partitions are never removed from a topic).
 */
export function recordingPartitioner(): ICustomPartitioner {
  return () => {
    const partition = Partitioners.DefaultPartitioner()
    return (args) => {
      const chosen = partition(args)
      ;(args.message as Message).partition = chosen
      return chosen
    }
  }
}

/**
 * The `topic/partition`s of a send that kafkajs did not finish cleanly: those it had records for
 * (partitions recorded by `recordingPartitioner`) that its answer does not acknowledge, and those
 * acknowledged more than once. kafkajs 2.2.4 keeps a send's answers per broker object across its
 * retries: when a partition leader fails mid-send it regroups the partitions by their new leaders
 * but retries only the brokers that had not answered, so a partition that moved to a broker that
 * had already answered is never sent (kafkajs issue #1303); and a broker it dropped and looked up
 * again is a new object, so its partitions can be sent (and written) twice. Either way the send
 * must count as failed. A record whose partition was never chosen counts as unacknowledged.
 */
export function unansweredPartitions(
  sent: readonly TopicMessages[],
  answer: readonly RecordMetadata[],
): string[] {
  const answered = new Map<string, number>()
  for (const entry of answer) {
    const key = `${entry.topicName}/${entry.partition}`
    answered.set(key, (answered.get(key) ?? 0) + 1)
  }
  const wrong = new Set<string>()
  for (const { topic, messages } of sent) {
    for (const message of messages) {
      const key = `${topic}/${message.partition ?? '?'}`
      if (answered.get(key) !== 1) wrong.add(key)
    }
  }
  return [...wrong]
}
