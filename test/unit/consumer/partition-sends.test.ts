import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Admin, Partitioners, type PartitionMetadata } from 'kafkajs'
import { PartitionSends } from '../../../libs/consumer/src/eos/partition-sends.ts'

/** Only fetchTopicMetadata is used: a topic with `counts[topic]` partitions, calls counted. */
function fakeAdmin(counts: Record<string, number>) {
  const calls: string[] = []
  const admin = {
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      calls.push(...topics)
      return {
        topics: topics.map((name) => ({
          name,
          partitions: Array.from({ length: counts[name] ?? 0 }, (_, partitionId) => ({
            partitionId,
            leader: 1,
            partitionErrorCode: 0,
            replicas: [1],
            isr: [1],
          })),
        })),
      }
    },
  } as unknown as Admin
  return { admin, calls }
}

test('a transaction send becomes one send per partition, keyed records where kafkajs would put them', async () => {
  const { admin, calls } = fakeAdmin({ ledger: 12, changelog: 12 })
  const sends = new PartitionSends(admin)
  const keys = Array.from({ length: 40 }, (_, i) => `payment-${i}`)
  const split = await sends.split([
    { topic: 'ledger', messages: keys.map((key) => ({ key, value: key })) },
    {
      topic: 'changelog',
      messages: [
        { key: 'a', value: '1', partition: 3 },
        { key: 'b', value: '2', partition: 3 },
      ],
    },
  ])
  const metadata: PartitionMetadata[] = Array.from({ length: 12 }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }))
  const kafkajs = Partitioners.DefaultPartitioner()
  for (const group of split) {
    const partitions = new Set(group.messages.map((message) => message.partition))
    assert.equal(partitions.size, 1, 'every send holds one partition only')
    for (const message of group.messages) {
      if (group.topic === 'ledger')
        assert.equal(message.partition, kafkajs({ topic: 'ledger', partitionMetadata: metadata, message }))
    }
  }
  // Every record once, order kept within a partition, explicit partitions kept.
  const ledger = split.filter((group) => group.topic === 'ledger').flatMap((group) => group.messages)
  assert.deepEqual(new Set(ledger.map((m) => m.key)), new Set(keys))
  assert.equal(ledger.length, keys.length)
  assert.deepEqual(
    split.filter((group) => group.topic === 'changelog').map((group) => group.messages.map((m) => m.key)),
    [['a', 'b']],
  )
  assert.ok(split.length > 2, 'forty keys spread over more than one partition')
  // The partition count is read once and reused; the explicitly partitioned topic needs none.
  await sends.split([{ topic: 'ledger', messages: [{ key: 'x', value: 'y' }] }])
  assert.deepEqual(calls, ['ledger'])
})

test('a topic the cluster does not know is an error naming it, not records sent nowhere', async () => {
  const sends = new PartitionSends(fakeAdmin({}).admin)
  await assert.rejects(
    sends.split([{ topic: 'nope', messages: [{ key: 'k', value: 'v' }] }]),
    /topic nope has no partitions/,
  )
})
