// Proves the timer-based lag against the real broker: end offset minus committed offset per partition, true on a partition no consumer fetches from, and no series for a group that does not exist.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger, createMetricsRegistry, groupLagGauges } from '#libs/observability'
import { startLagMonitor } from '#libs/service'
import { createTestTopics, testAdmin, testKafka, uniqueName } from '../../helpers/kafka.ts'

test('the lag of an idle partition follows its end offset with no consumer running, measured from committed offsets', async (t) => {
  const topic = uniqueName('lag')
  await createTestTopics(t, [{ topic, numPartitions: 2 }])
  const kafka = testKafka()
  const admin = await testAdmin(t, kafka)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  t.after(() => producer.disconnect())
  const write = (partition: number, count: number) =>
    producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ partition, value: `r${i}` })),
    })
  await write(0, 3)
  await write(1, 3)
  const groupId = uniqueName('group')
  await admin.setOffsets({
    groupId,
    topic,
    partitions: [
      { partition: 0, offset: '1' },
      { partition: 1, offset: '3' },
    ],
  })
  const missing = uniqueName('nobody')
  const registry = createMetricsRegistry({ defaultMetrics: false })
  const monitor = startLagMonitor({
    kafka,
    groups: () => [groupId, missing],
    gauges: groupLagGauges(registry),
    // Measured explicitly below, so the test does not depend on the timer's pace.
    intervalMs: 3_600_000,
    logger: createLogger('lag-monitor-test', { LOG_LEVEL: 'silent' }),
  })
  t.after(() => monitor.stop())
  const lag = async (partition: number) => {
    await monitor.measure()
    const text = await registry.metrics()
    const line = new RegExp(
      `eb_consumer_group_lag_records\\{group="${groupId}",topic="${topic}",partition="${partition}"\\} (\\d+)`,
    ).exec(text)
    return line ? Number(line[1]) : undefined
  }
  assert.equal(await lag(0), 2)
  assert.equal(await lag(1), 0)

  // Nobody fetches partition 1, so no batch would ever update a per-batch gauge; this one moves.
  await write(1, 4)
  assert.equal(await lag(1), 4)
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }] })
  assert.equal(await lag(0), 0)

  const text = await registry.metrics()
  assert.doesNotMatch(text, new RegExp(missing), 'a group that does not exist has no series')
  assert.match(text, new RegExp(`eb_consumer_group_lag_measured_timestamp_seconds\\{group="${groupId}"\\}`))
})
