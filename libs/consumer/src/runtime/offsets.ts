import type { Batch } from 'kafkajs'

/**
 * The offset to commit after processing up to and including `offset`: the next one. When that was
 * the batch's last visible record, the batch's last offset is used instead, so trailing transaction
 * control records (filtered out by kafkajs) do not hold the partition back.
 */
export function nextOffset(batch: Batch, offset: string): string {
  const last = batch.messages[batch.messages.length - 1]
  const upTo = last && last.offset === offset ? batch.lastOffset() : offset
  return (BigInt(upTo) + 1n).toString()
}

export function lagAfter(batch: Batch, committed: string): number {
  const lag = BigInt(batch.highWatermark) - BigInt(committed)
  return lag > 0n ? Number(lag) : 0
}
