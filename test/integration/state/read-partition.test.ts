// Proves a changelog partition is read to its end with the latest committed value per key: aborted transactional writes and deleted keys are left out, other partitions ignored.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { transactionalIdFor } from '#libs/kafka'
import { readPartition } from '#libs/state'
import { createTestTopics, testKafka, uniqueName } from '../../helpers/kafka.ts'

test('reads the latest committed value of every key of one partition, without aborted writes or deleted keys', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('changelog')
  await createTestTopics(
    t,
    [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    kafka,
  )
  const producer = kafka.producer({
    transactionalId: transactionalIdFor(uniqueName('store'), topic, 1),
    idempotent: true,
    maxInFlightRequests: 1,
  })
  await producer.connect()
  t.after(() => producer.disconnect())
  const write = async (
    messages: Array<{ key: string; value: string | null; partition: number }>,
    commit: boolean,
  ) => {
    const transaction = await producer.transaction()
    await transaction.send({ topic, messages })
    await (commit ? transaction.commit() : transaction.abort())
  }
  await write(
    [
      { key: 'a', value: '1', partition: 1 },
      { key: 'b', value: '1', partition: 1 },
      { key: 'c', value: '1', partition: 1 },
      { key: 'x', value: 'other partition', partition: 0 },
    ],
    true,
  )
  await write([{ key: 'a', value: 'aborted', partition: 1 }], false)
  await write(
    [
      { key: 'b', value: '2', partition: 1 },
      { key: 'c', value: null, partition: 1 },
    ],
    true,
  )
  const state = await readPartition(kafka, topic, 1, { timeoutMs: 20_000 })
  assert.deepEqual(
    [...state].map(([key, value]) => [key, value.toString()]),
    [
      ['a', '1'],
      ['b', '2'],
    ],
  )
})

test('an empty partition reads as an empty state at once', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('changelog')
  await createTestTopics(t, [{ topic }], kafka)
  assert.equal((await readPartition(kafka, topic, 0)).size, 0)
})
