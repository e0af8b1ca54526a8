// Proves that a replayer killed with SIGKILL mid-job and restarted delivers every selected dead-letter record exactly once (read_committed).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JobStatus, planReplay, ReplayHeader, readJob } from '#libs/dlq'
import { runFixture } from '../../helpers/child.ts'
import { collect, header } from '../../helpers/consumer.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { testBrokers, testKafka, waitFor } from '../../helpers/kafka.ts'

const total = 1_200

test('a replayer killed with SIGKILL mid-job resumes from its committed progress without loss or duplicates', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(
    t,
    kafka,
    Array.from({ length: total }, (_, i) => ({
      key: `k${i}`,
      value: Buffer.from(`v${i}`),
      errorClass: i % 2 === 0 ? 'LedgerError' : 'TypeError',
      message: 'm',
      partition: i % 3,
    })),
    { partitions: 3 },
  )
  const spec = await planReplay(kafka, { topic: fixture.dlt, by: 'ops', ratePerSecond: 400 })
  const env = {
    KAFKA_BROKERS: testBrokers().join(','),
    JOBS_TOPIC: topics.jobs,
    AUDIT_TOPIC: topics.audit,
    CHUNK: '20',
  }
  const first = runFixture(t, 'replayer.ts', { ...env, SPEC: JSON.stringify(spec) })
  await waitFor(() => first.handled() >= 200, {
    timeoutMs: 60_000,
    description: 'the first replayer to be mid-job',
  })
  first.process.kill('SIGKILL')
  await first.exited
  const killedAt = await readJob(kafka, spec.id, topics)
  assert.equal(killedAt.status, JobStatus.running)
  assert.ok(killedAt.counts.replayed < total, 'killed before the end')
  const second = runFixture(t, 'replayer.ts', { ...env, JOB_ID: spec.id })
  assert.equal(await second.exited, 0)
  const job = await readJob(kafka, spec.id, topics)
  assert.equal(job.status, JobStatus.done)
  assert.equal(job.counts.replayed, total)
  const delivered = await collect(t, kafka, [fixture.retry], { readCommitted: true })
  await waitFor(() => delivered.length >= total, { timeoutMs: 60_000, description: 'every replayed record' })
  const coordinates = delivered.map(
    (r) =>
      `${header(r.message.headers, ReplayHeader.dltPartition)}:${header(r.message.headers, ReplayHeader.dltOffset)}`,
  )
  assert.equal(new Set(coordinates).size, total, 'no record twice')
  assert.equal(delivered.length, total, 'no record missing or duplicated')
})
