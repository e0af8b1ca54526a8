// Proves the console is the cluster-wide exporter: its /metrics shows every consumer group's lag, even with no member running, each dead-letter topic's depth and oldest-record age, and its readiness.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger } from '#libs/observability'
import { startDlqConsole } from '../../../services/dlq-console/src/app.ts'
import { authFromEnv } from '../../../services/dlq-console/src/auth.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { aliceToken, callConsole, testConsole } from '../../helpers/dlq-console.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'

test('the console exports the lag of a group without members and the depth and age of a dead-letter topic', async (t) => {
  const group = uniqueName('g')
  const topic = uniqueName('orders')
  const dlt = `${group}.${topic}.dlt`
  await createTestTopics(t, [
    { topic, numPartitions: 1 },
    { topic: dlt, numPartitions: 1 },
  ])
  const kafka = testKafka()
  const admin = await testAdmin(t, kafka)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  t.after(() => producer.disconnect())
  await producer.send({ topic, messages: [{ value: '1' }, { value: '2' }, { value: '3' }] })
  await producer.send({ topic: dlt, messages: [{ value: 'x', timestamp: String(Date.now() - 120_000) }] })
  await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '1' }] })

  const console = await startDlqConsole({
    kafka,
    auth: authFromEnv({ DLQ_OPERATORS: 'alice:alice-token-0123456789' }),
    logger: createLogger('dlq-console-test', { LOG_LEVEL: 'silent' }),
    port: 0,
    metricsIntervalMs: 200,
  })
  t.after(() => console.close())
  const scrape = async () => (await fetch(`${console.http.url}/metrics`)).text()
  const text = await waitFor(
    async () => {
      const body = await scrape()
      return body.includes(`group="${group}"`) && body.includes(`eb_dlq_depth_records{topic="${dlt}"}`)
        ? body
        : undefined
    },
    { description: 'the group lag and the dead-letter depth on /metrics', intervalMs: 200 },
  )
  assert.match(
    text,
    new RegExp(`eb_consumer_group_lag_records\\{group="${group}",topic="${topic}",partition="0"\\} 2`),
  )
  assert.match(text, new RegExp(`eb_dlq_depth_records\\{topic="${dlt}"\\} 1`))
  const age = new RegExp(`eb_dlq_oldest_record_age_seconds\\{topic="${dlt}"\\} ([\\d.]+)`).exec(text)
  assert.ok(age && Number(age[1]) >= 120, `the oldest record is at least two minutes old: ${age?.[1]}`)
  assert.match(text, /eb_service_ready\{service="dlq-console"\} 1/)
  assert.doesNotMatch(text, /group="_backbone-/, "the backbone's own throw-away groups are left out")
})

test('a replay job the console runs shows its progress, counts and status on /metrics', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('1'), errorClass: 'TypeError', message: 'm' },
    { key: 'b', value: Buffer.from('2'), errorClass: 'LedgerError', message: 'm' },
  ])
  const { http } = await testConsole(t, kafka, { topics })
  const started = await callConsole(
    http.url,
    'POST',
    '/api/replays',
    { topic: fixture.dlt, selection: { errorClass: ['LedgerError'] } },
    aliceToken,
  )
  assert.equal(started.status, 202)
  const { id } = started.body as { id: string }
  const labels = `job="${id}",topic="${fixture.dlt}"`
  const text = await waitFor(
    async () => {
      const body = await (await fetch(`${http.url}/metrics`)).text()
      return body.includes(`eb_replay_job_status{${labels},status="done"} 1`) ? body : undefined
    },
    { description: 'the job to be done on /metrics', intervalMs: 200 },
  )
  assert.match(text, new RegExp(`eb_replay_job_progress_ratio\\{${labels}\\} 1\n`))
  assert.match(text, new RegExp(`eb_replay_job_records\\{${labels},kind="replayed"\\} 1\n`))
  assert.match(text, new RegExp(`eb_replay_job_records\\{${labels},kind="unmatched"\\} 1\n`))
  assert.doesNotMatch(text, new RegExp(`${labels},status="running"`), 'one status per job')
})
