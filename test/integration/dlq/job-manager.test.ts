// Proves that the one job manager (console and CLI) pauses, resumes and cancels a throttled replay on a real broker: a paused job makes no progress, a resumed one finishes, a cancelled one stops and is audited, and no record is replayed twice.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { test } from 'node:test'
import type { Kafka } from 'kafkajs'
import {
  AuditEvent,
  JobAction,
  JobManager,
  JobStatus,
  planReplay,
  type ReplayTopics,
  readAudit,
} from '#libs/dlq'
import { collect } from '../../helpers/consumer.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { testKafka, waitFor } from '../../helpers/kafka.ts'

const total = 120

async function throttledJob(t: TestContext, kafka: Kafka, topics: ReplayTopics) {
  const fixture = await deadLetters(
    t,
    kafka,
    Array.from({ length: total }, (_, i) => ({
      key: `order-${i}`,
      value: Buffer.from(`value-${i}`),
      errorClass: 'LedgerError',
      message: 'account closed',
    })),
  )
  // 40 records/s in chunks of 10: the job takes about three seconds, long enough to steer.
  const spec = await planReplay(kafka, { topic: fixture.dlt, ratePerSecond: 40, by: 'alice' })
  const jobs = new JobManager({ kafka, topics, chunkSize: 10 })
  t.after(() => jobs.stop())
  const replayed = await collect(t, kafka, [fixture.retry])
  return { fixture, spec, jobs, replayed }
}

const replayedOf = async (jobs: JobManager, id: string) => (await jobs.get(id))?.counts.replayed ?? 0

function assertOnce(keys: string[]) {
  assert.equal(new Set(keys).size, keys.length, 'a record was replayed twice')
}

test('a paused replay makes no progress until resumed, then finishes with every record replayed once', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const { spec, jobs, replayed } = await throttledJob(t, kafka, topics)
  const run = jobs.start({ spec })
  await waitFor(async () => (await replayedOf(jobs, spec.id)) >= 20, { description: 'some progress' })
  await jobs.control(spec.id, JobAction.pause, 'alice')
  await waitFor(async () => (await jobs.get(spec.id))?.status === JobStatus.paused, {
    description: 'the job paused',
  })
  const atPause = await replayedOf(jobs, spec.id)
  assert.ok(atPause < total, `paused after ${atPause} of ${total}`)
  // At 40 records/s, 1.5 s unpaused would replay about 60 more: a paused job must replay none.
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  assert.equal(await replayedOf(jobs, spec.id), atPause)
  assert.equal(replayed.length, atPause)
  await jobs.control(spec.id, JobAction.resume, 'alice')
  const final = await run.done
  assert.equal(final.status, JobStatus.done)
  assert.equal(final.counts.replayed, total)
  await waitFor(() => replayed.length === total, { description: 'every replayed record on the retry topic' })
  assertOnce(replayed.map((r) => String(r.message.key)))
  const events = (await readAudit(kafka, { jobId: spec.id, topics })).map((a) => a.event)
  assert.ok(events.includes(AuditEvent.paused) && events.includes(AuditEvent.resumed), events.join(','))
})

test('a cancelled replay stops, is audited with who cancelled it, and cannot be resumed', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const { spec, jobs, replayed } = await throttledJob(t, kafka, topics)
  const run = jobs.start({ spec })
  await waitFor(async () => (await replayedOf(jobs, spec.id)) >= 20, { description: 'some progress' })
  await jobs.control(spec.id, JobAction.cancel, 'bob')
  const final = await run.done
  assert.equal(final.status, JobStatus.cancelled)
  assert.ok(final.counts.replayed < total, `cancelled after ${final.counts.replayed}`)
  await waitFor(() => replayed.length === final.counts.replayed, {
    description: 'exactly the committed replays on the retry topic',
  })
  assertOnce(replayed.map((r) => String(r.message.key)))
  const audit = await readAudit(kafka, { jobId: spec.id, topics })
  assert.ok(audit.some((a) => a.event === AuditEvent.cancelled && a.by === 'bob'))
  await assert.rejects(jobs.control(spec.id, JobAction.resume, 'bob'), { code: 'EB_DLQ_JOB_STATE' })
})

test('a job running elsewhere cannot be paused from another process but can be cancelled from it', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const { spec, jobs } = await throttledJob(t, kafka, topics)
  const run = jobs.start({ spec })
  await waitFor(async () => (await replayedOf(jobs, spec.id)) >= 10, { description: 'some progress' })
  // What `backbone dlq jobs cancel` does: its own manager, with no live run of the job.
  const cli = new JobManager({ kafka, topics })
  await assert.rejects(cli.control(spec.id, JobAction.pause, 'carol'), /only its runner can pause it/)
  await cli.control(spec.id, JobAction.cancel, 'carol')
  await run.done.catch(() => {})
  await waitFor(async () => (await cli.get(spec.id))?.status === JobStatus.cancelled, {
    description: 'the job cancelled',
  })
})

test('a job stopped in one process is resumed by another and finishes, each record replayed once', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const { spec, jobs, replayed } = await throttledJob(t, kafka, topics)
  jobs.start({ spec })
  await waitFor(async () => (await replayedOf(jobs, spec.id)) >= 10, { description: 'some progress' })
  // A console shutting down: the job stays `running` at its committed progress.
  await jobs.stop()
  const other = new JobManager({ kafka, topics, chunkSize: 10 })
  t.after(() => other.stop())
  await other.control(spec.id, JobAction.resume, 'erin')
  await waitFor(async () => (await other.get(spec.id))?.status === JobStatus.done, {
    description: 'the job done in the other process',
    timeoutMs: 30_000,
  })
  await waitFor(() => replayed.length === total, { description: 'every record on the retry topic' })
  assertOnce(replayed.map((r) => String(r.message.key)))
  const audit = await readAudit(kafka, { jobId: spec.id, topics })
  assert.ok(audit.some((a) => a.event === AuditEvent.resumed && a.by === 'erin'))
})
