import { type ICustomPartitioner, type Message, Partitioners } from 'kafkajs'

/**
 * kafkajs's default (Java-compatible murmur2) partitioner, writing the partition it picks into the
 * message so acknowledged offsets can be mapped back to records. kafkajs partitions again on every
 * retry of a batch; the default partitioner honours `message.partition`, so a key-less record keeps
 * its partition between attempts (partitions are never removed from a topic).
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
