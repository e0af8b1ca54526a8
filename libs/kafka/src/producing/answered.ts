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
 * The `topic/partition`s a send had records for (partitions recorded by `recordingPartitioner`)
 * that its answer does not acknowledge. kafkajs 2.2.4 can resolve a send without having sent some
 * of its records: when a partition leader fails mid-send it regroups the partitions by their new
 * leaders but retries only the brokers that had not answered, so a partition that moved to a broker
 * that had already answered is never sent (kafkajs issue #1303). Such a send must count as failed.
 * A record whose partition was never chosen counts as unanswered too.
 */
export function unansweredPartitions(
  sent: readonly TopicMessages[],
  answer: readonly RecordMetadata[],
): string[] {
  const answered = new Set(answer.map((entry) => `${entry.topicName}/${entry.partition}`))
  const missing = new Set<string>()
  for (const { topic, messages } of sent) {
    for (const message of messages) {
      const key = `${topic}/${message.partition ?? '?'}`
      if (!answered.has(key)) missing.add(key)
    }
  }
  return [...missing]
}
