import { type ICustomPartitioner, type Message, Partitioners } from 'kafkajs'

/**
 * kafkajs's default (Java-compatible murmur2) partitioner, recording the partition it picks for each
 * message so acknowledged offsets can be mapped back to records. kafkajs partitions again on every
 * retry of a batch; a recorded choice is kept while the partition exists, so a key-less record does
 * not move to another partition between attempts.
 */
export function recordingPartitioner(chosen: WeakMap<Message, number>): ICustomPartitioner {
  return () => {
    const partition = Partitioners.DefaultPartitioner()
    return (args) => {
      const previous = chosen.get(args.message)
      if (previous !== undefined && args.partitionMetadata.some((p) => p.partitionId === previous)) {
        return previous
      }
      const next = partition(args)
      chosen.set(args.message, next)
      return next
    }
  }
}
