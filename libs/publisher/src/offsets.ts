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
  const bases = new Map<string, bigint>()
  for (const entry of metadata) {
    const base = entry.baseOffset ?? entry.offset
    if (base !== undefined) bases.set(partitionKey(entry.topicName, entry.partition), BigInt(base))
  }
  const seen = new Map<string, bigint>()
  return records.map(({ topic, partition }) => {
    if (partition === undefined) throw new Error(`no partition was chosen for a record of ${topic}`)
    const key = partitionKey(topic, partition)
    const base = bases.get(key)
    if (base === undefined) throw new Error(`the broker's answer has no offset for ${topic}/${partition}`)
    const index = seen.get(key) ?? 0n
    seen.set(key, index + 1n)
    return { topic, partition, offset: (base + index).toString() }
  })
}

function partitionKey(topic: string, partition: number): string {
  return `${partition}\u0000${topic}`
}
