// Proves that kafkajs 2.2.4 works with the pinned Apache Kafka: topics, groups, transactions, read_committed.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EachMessagePayload } from 'kafkajs'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('creates a topic with the requested partitions', async (t) => {
  const topic = uniqueName('compat-create')
  await createTestTopics(t, [{ topic, numPartitions: 3 }])
  const admin = await testAdmin(t)
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
  assert.equal(metadata.topics[0]?.partitions.length, 3)
})

test('delivers produced records to a consumer group in order per partition', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('compat-group')
  await createTestTopics(t, [{ topic, numPartitions: 2 }], kafka)

  const producer = kafka.producer({ idempotent: true })
  await producer.connect()
  t.after(() => producer.disconnect())
  const sent = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 4}`, value: String(i) }))
  await producer.send({ topic, acks: -1, messages: sent })

  const consumer = kafka.consumer({ groupId: uniqueName('compat-group') })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic, fromBeginning: true })
  const received: Array<{ key: string; value: string }> = []
  await consumer.run({
    eachMessage: async ({ message }: EachMessagePayload) => {
      received.push({ key: String(message.key), value: String(message.value) })
    },
  })
  await waitFor(() => received.length >= sent.length, { description: 'all 20 records' })

  assert.equal(received.length, sent.length)
  for (const key of ['k0', 'k1', 'k2', 'k3']) {
    const perKey = received.filter((r) => r.key === key).map((r) => Number(r.value))
    assert.deepEqual(
      perKey,
      [...perKey].sort((a, b) => a - b),
      `records of ${key} arrive in the order sent`,
    )
  }
})

test('a read_committed consumer sees the committed transaction and not the aborted one, with offsets sent in the transaction', async (t) => {
  const kafka = testKafka()
  const input = uniqueName('compat-tx-in')
  const output = uniqueName('compat-tx-out')
  await createTestTopics(t, [{ topic: input }, { topic: output }], kafka)
  const groupId = uniqueName('compat-tx-group')

  const producer = kafka.producer({
    idempotent: true,
    transactionalId: uniqueName('compat-tx'),
    maxInFlightRequests: 1,
  })
  await producer.connect()
  t.after(() => producer.disconnect())

  const committed = await producer.transaction()
  await committed.send({ topic: output, messages: [{ value: 'committed' }] })
  await committed.sendOffsets({
    consumerGroupId: groupId,
    topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }],
  })
  await committed.commit()

  const aborted = await producer.transaction()
  await aborted.send({ topic: output, messages: [{ value: 'aborted' }] })
  await aborted.sendOffsets({
    consumerGroupId: groupId,
    topics: [{ topic: input, partitions: [{ partition: 0, offset: '9' }] }],
  })
  await aborted.abort()

  const marker = kafka.producer()
  await marker.connect()
  t.after(() => marker.disconnect())
  await marker.send({ topic: output, messages: [{ value: 'after' }] })

  const consumer = kafka.consumer({ groupId: uniqueName('compat-reader'), readUncommitted: false })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic: output, fromBeginning: true })
  const seen: string[] = []
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) })
  await waitFor(() => seen.includes('after'), { description: 'the marker record after both transactions' })

  assert.deepEqual(seen, ['committed', 'after'])
  const admin = await testAdmin(t, kafka)
  const offsets = await admin.fetchOffsets({ groupId, topics: [input] })
  assert.equal(
    offsets[0]?.partitions[0]?.offset,
    '5',
    'only the committed transaction moved the group offset',
  )
})
