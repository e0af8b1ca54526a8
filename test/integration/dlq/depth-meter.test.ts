// Proves the dead-letter gauges' source against the real broker: depth from the watermarks, the oldest record's timestamp read once per partition and read again when the low watermark moves, and nothing for an empty topic.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DeadLetterDepthMeter } from '#libs/dlq'
import { createTestTopics, testAdmin, testKafka, uniqueName } from '../../helpers/kafka.ts'

test('depth and oldest record of dead-letter topics, following deleted records, and none for an empty topic', async (t) => {
  const group = uniqueName('g')
  const full = `${group}.orders.dlt`
  const empty = `${group}.payments.dlt`
  await createTestTopics(t, [
    { topic: full, numPartitions: 2 },
    { topic: empty, numPartitions: 1 },
  ])
  const kafka = testKafka()
  const admin = await testAdmin(t, kafka)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  t.after(() => producer.disconnect())
  const base = Date.now() - 3_600_000
  await producer.send({
    topic: full,
    messages: [
      { partition: 0, value: 'a', timestamp: String(base + 2_000) },
      { partition: 0, value: 'b', timestamp: String(base + 3_000) },
      { partition: 1, value: 'c', timestamp: String(base + 1_000) },
      { partition: 1, value: 'd', timestamp: String(base + 4_000) },
    ],
  })
  const meter = new DeadLetterDepthMeter(kafka)
  const find = async (topic: string) => (await meter.measure(admin)).find((entry) => entry.topic === topic)

  assert.deepEqual(await find(full), { topic: full, depth: 4, oldestAt: base + 1_000 })
  assert.deepEqual(await find(empty), { topic: empty, depth: 0, oldestAt: undefined })

  // Retention or an operator deleting records moves the low watermark: the oldest is read again.
  await admin.deleteTopicRecords({ topic: full, partitions: [{ partition: 1, offset: '1' }] })
  assert.deepEqual(await find(full), { topic: full, depth: 3, oldestAt: base + 2_000 })
  await admin.deleteTopicRecords({
    topic: full,
    partitions: [
      { partition: 0, offset: '2' },
      { partition: 1, offset: '2' },
    ],
  })
  assert.deepEqual(await find(full), { topic: full, depth: 0, oldestAt: undefined })
})
