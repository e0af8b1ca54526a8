// Proves the console keeps what its metrics timer measures as a bounded history: a lagging group's lag per partition and a dead-letter topic's depth and oldest age over time, served for the charts.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger } from '#libs/observability'
import { startDlqConsole } from '../../../services/dlq-console/src/app.ts'
import { authFromEnv } from '../../../services/dlq-console/src/auth.ts'
import { produce } from '../../helpers/consumer.ts'
import { callConsole } from '../../helpers/dlq-console.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('the lag history of a group and the depth history of a dead-letter topic grow per tick and stay bounded', async (t) => {
  const kafka = testKafka()
  const group = uniqueName('g')
  const topic = uniqueName('orders')
  const dlt = `${group}.${topic}.dlt`
  await createTestTopics(t, [{ topic, numPartitions: 2 }, { topic: dlt }], kafka)
  await produce(t, kafka, topic, [
    { value: '1', partition: 0 },
    { value: '2', partition: 0 },
    { value: '3', partition: 0 },
    { value: '4', partition: 1 },
  ])
  await produce(t, kafka, dlt, [{ value: 'x', timestamp: String(Date.now() - 60_000) }])
  const admin = await testAdmin(t, kafka)
  await admin.setOffsets({
    groupId: group,
    topic,
    partitions: [
      { partition: 0, offset: '1' },
      { partition: 1, offset: '1' },
    ],
  })
  const console = await startDlqConsole({
    kafka,
    auth: authFromEnv({ DLQ_OPERATORS: 'alice:alice-token-0123456789' }),
    logger: createLogger('dlq-console-test', { LOG_LEVEL: 'silent' }),
    port: 0,
    metricsIntervalMs: 200,
    // Three samples per series at most: the ring buffer's bound is what this test checks.
    historyWindowMs: 600,
  })
  t.after(() => console.close())
  const lag = await waitFor(
    async () => {
      const answer = await callConsole(console.http.url, 'GET', `/api/groups/${group}/lag-history`)
      return answer.body.samples.length >= 3 && answer.body
    },
    // Each sample is a round over every group of the shared test broker, hundreds late in a run.
    { description: 'three lag samples', timeoutMs: 60_000 },
  )
  assert.equal(lag.intervalMs, 200)
  const latest = lag.samples.at(-1)
  assert.deepEqual(
    latest.partitions.map((p: { partition: number; lag: number }) => [p.partition, p.lag]).sort(),
    [
      [0, 2],
      [1, 0],
    ],
  )
  await produce(t, kafka, topic, [{ value: '5', partition: 1 }])
  await waitFor(
    async () => {
      const answer = await callConsole(console.http.url, 'GET', `/api/groups/${group}/lag-history`)
      assert.ok(answer.body.samples.length <= 3, 'bounded to the window')
      const last = answer.body.samples.at(-1)
      return last.partitions.some((p: { partition: number; lag: number }) => p.partition === 1 && p.lag === 1)
    },
    { description: 'the new lag in the history' },
  )
  const depth = await waitFor(
    async () => {
      const answer = await callConsole(console.http.url, 'GET', `/api/dead-letters/history?topic=${dlt}`)
      return answer.body.topics[0].samples.length >= 2 && answer.body.topics[0]
    },
    // The first round reads the oldest record of every dead-letter topic of the shared test broker.
    { description: 'two depth samples', timeoutMs: 60_000 },
  )
  assert.equal(depth.topic, dlt)
  assert.equal(depth.samples.at(-1).depth, 1)
  assert.ok(depth.samples.at(-1).oldestAgeMs >= 60_000)
  const all = await callConsole(console.http.url, 'GET', '/api/dead-letters/history')
  assert.ok(all.body.topics.some((entry: { topic: string }) => entry.topic === dlt))
})
