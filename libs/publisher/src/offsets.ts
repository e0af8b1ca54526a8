import type { RecordMetadata } from 'kafkajs'
import type { PublishResult } from './types.ts'

export interface PlacedRecord {
  readonly topic: string
  readonly partition: number | undefined
}

/**
 * The offset of each record of an acknowledged batch. A produce response gives one base offset per
 * topic-partition; records of one partition are stored in the order they were sent, so a record's
 * offset is the base plus the number of earlier records of the batch in the same partition.
 */
export function assignOffsets(
  records: readonly PlacedRecord[],
  metadata: readonly RecordMetadata[],
): PublishResult[] {
  const next = new Map<string, Map<number, bigint>>()
  for (const entry of metadata) {
    const base = entry.baseOffset ?? entry.offset
    if (base === undefined) continue
    const partitions = next.get(entry.topicName) ?? new Map<number, bigint>()
    next.set(entry.topicName, partitions)
    partitions.set(entry.partition, BigInt(base))
  }
  return records.map(({ topic, partition }) => {
    if (partition === undefined) throw new Error(`no partition was chosen for a record of ${topic}`)
    const partitions = next.get(topic)
    const offset = partitions?.get(partition)
    if (offset === undefined) throw new Error(`the broker's answer has no offset for ${topic}/${partition}`)
    partitions!.set(partition, offset + 1n)
    return { topic, partition, offset: offset.toString() }
  })
}
