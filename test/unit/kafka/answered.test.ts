import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PartitionMetadata, RecordMetadata } from 'kafkajs'
import { recordingPartitioner, unansweredPartitions } from '#libs/kafka'

const answer = (topicName: string, partition: number): RecordMetadata => ({
  topicName,
  partition,
  errorCode: 0,
  baseOffset: '0',
})

test('a send whose answer lacks a partition it had records for, or has one twice, is reported, naming the partition', () => {
  const sent = [
    {
      topic: 'ledger',
      messages: [
        { value: 'a', partition: 1 },
        { value: 'b', partition: 4 },
      ],
    },
    { topic: 'changelog', messages: [{ value: 'c', partition: 4 }] },
  ]
  assert.deepEqual(
    unansweredPartitions(sent, [answer('ledger', 1), answer('ledger', 4), answer('changelog', 4)]),
    [],
  )
  // kafkajs #1303: partition 4 of ledger moved to the broker that had answered for partition 1.
  assert.deepEqual(unansweredPartitions(sent, [answer('ledger', 1), answer('changelog', 4)]), ['ledger/4'])
  // A partition acknowledged twice was written twice (a broker kafkajs dropped and looked up again).
  assert.deepEqual(
    unansweredPartitions(sent, [
      answer('ledger', 1),
      answer('ledger', 4),
      answer('ledger', 4),
      answer('changelog', 4),
    ]),
    ['ledger/4'],
  )
  // A record whose partition was never chosen cannot have been acknowledged either.
  assert.deepEqual(
    unansweredPartitions([{ topic: 'ledger', messages: [{ value: 'x' }] }], [answer('ledger', 0)]),
    ['ledger/?'],
  )
})

test('the recording partitioner writes kafkajs default partitioner choice into the message', () => {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: 12 }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }))
  const partition = recordingPartitioner()()
  const keyed: { key: string; value: string; partition?: number } = { key: 'payer-7', value: 'v' }
  const chosen = partition({ topic: 'payments', partitionMetadata, message: keyed })
  assert.equal(keyed.partition, chosen)
  // Same key, same partition; an explicit partition is kept.
  assert.equal(
    partition({ topic: 'payments', partitionMetadata, message: { key: 'payer-7', value: 'w' } }),
    chosen,
  )
  const explicit = { key: 'payer-7', value: 'v', partition: 3 }
  assert.equal(partition({ topic: 'payments', partitionMetadata, message: explicit }), 3)
})
