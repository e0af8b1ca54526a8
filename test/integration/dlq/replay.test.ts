// Proves that a replay delivers each selected dead-letter record once to the failing group's retry topic (only that group processes it again) or, when asked, to the original topic, and leaves its audit trail.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConfigResourceTypes } from 'kafkajs'
import { Header, nonRetriable, subscription } from '#libs/consumer'
import { JobStatus, planReplay, ReplayHeader, readAudit, readJob, startReplay } from '#libs/dlq'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { createTestTopics, testAdmin, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { encodeWire, orderDecoder } from '../../helpers/wire.ts'

test('a replay to the retry topic is processed by the failing group only, once, as a fresh attempt', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const source = uniqueName('orders')
  await createTestTopics(t, [{ topic: source }], kafka)
  await produce(t, kafka, source, [
    { key: 'bad', value: encodeWire({ eventId: 'bad', amount: 1, note: '' }) },
    { key: 'good', value: encodeWire({ eventId: 'good', amount: 2, note: '' }) },
  ])
  let fixed = false
  const failing: { eventId: string; topic: string; attempt: number; replayId?: string }[] = []
  const group = await startGroup(t, {
    kafka,
    groupId: uniqueName('ledger'),
    defaults: { retry: { attempts: 0 }, retryTopics: ['1s'] },
    subscriptions: [
      subscription({
        topic: source,
        decode: orderDecoder,
        handler: async (order, ctx) => {
          if (order.eventId === 'bad' && !fixed) throw nonRetriable(new Error('ledger closed'))
          failing.push({
            eventId: order.eventId,
            topic: ctx.sourceTopic,
            attempt: ctx.attempt,
            ...(header(ctx.headers, ReplayHeader.id)
              ? { replayId: header(ctx.headers, ReplayHeader.id)! }
              : {}),
          })
        },
      }),
    ],
  })
  const other: string[] = []
  await startGroup(t, {
    kafka,
    groupId: uniqueName('audit-log'),
    subscriptions: [
      subscription({ topic: source, decode: orderDecoder, handler: async (o) => void other.push(o.eventId) }),
    ],
  })
  const dlt = group.subscriptions[0]!.deadLetterTopic
  const dead = await collect(t, kafka, [dlt])
  await waitFor(() => dead.length === 1 && other.length === 2 && failing.length === 1, {
    description: 'bad dead-lettered, both groups done',
  })
  fixed = true
  const spec = await planReplay(kafka, { topic: dlt, by: 'alice' })
  assert.equal(spec.targetTopic, group.subscriptions[0]!.retryTopics[0])
  const run = startReplay({ kafka, spec, topics })
  const done = await run.done
  assert.equal(done.status, JobStatus.done)
  assert.equal(done.counts.replayed, 1)
  await waitFor(() => failing.length === 2, {
    description: 'the failing group processes the replayed record',
  })
  assert.deepEqual(failing[1], { eventId: 'bad', topic: spec.targetTopic, attempt: 1, replayId: spec.id })
  const admin = await testAdmin(t, kafka)
  const [sourceEnd] = await admin.fetchTopicOffsets(source)
  assert.equal(sourceEnd!.high, '2', 'nothing was written to the shared topic')
  assert.deepEqual(other, ['bad', 'good'])
  const resumed = await startReplay({ kafka, jobId: spec.id, topics }).done
  assert.equal(resumed.counts.replayed, 1, 'a finished job replays nothing again')
})

test('a replay to the original topic, when asked, writes the original bytes with replay headers and without failure context', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from([1, 2, 3]), errorClass: 'LedgerError', message: 'm' },
    { key: 'b', value: Buffer.from([4, 5]), errorClass: 'TypeError', message: 'm' },
    { key: 'c', value: Buffer.from([6]), errorClass: 'LedgerError', message: 'm' },
  ])
  const spec = await planReplay(kafka, {
    topic: fixture.dlt,
    target: 'original',
    selection: { errorClass: ['LedgerError'] },
    by: 'bob',
  })
  assert.equal(spec.targetTopic, fixture.source)
  await startReplay({ kafka, spec, topics }).done
  const replayed = await collect(t, kafka, [fixture.source])
  await waitFor(() => replayed.length === 2, { description: 'two records on the original topic' })
  const messages = replayed.map((r) => r.message).sort((a, b) => String(a.key).localeCompare(String(b.key)))
  assert.deepEqual(
    messages.map((m) => [String(m.key), m.value]),
    [
      ['a', Buffer.from([1, 2, 3])],
      ['c', Buffer.from([6])],
    ],
  )
  for (const [i, message] of messages.entries()) {
    assert.equal(header(message.headers, ReplayHeader.id), spec.id)
    assert.equal(header(message.headers, ReplayHeader.by), 'bob')
    assert.equal(header(message.headers, ReplayHeader.count), '1')
    assert.equal(header(message.headers, ReplayHeader.dltTopic), fixture.dlt)
    assert.equal(header(message.headers, ReplayHeader.dltPartition), '0')
    assert.equal(header(message.headers, ReplayHeader.dltOffset), ['0', '2'][i])
    assert.equal(header(message.headers, 'traceparent'), `00-${['0', '2'][i]}-01`)
    assert.equal(header(message.headers, Header.errorClass), undefined)
    assert.equal(header(message.headers, Header.group), undefined)
  }
})

test('the audit topic holds who created, started and finished the job, with its selection and counts', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('1'), errorClass: 'TypeError', message: 'm' },
    { key: 'b', value: Buffer.from('2'), errorClass: 'TypeError', message: 'm' },
  ])
  const spec = await planReplay(kafka, {
    topic: fixture.dlt,
    selection: { key: 'b' },
    by: 'carol',
    ratePerSecond: 50,
  })
  await startReplay({ kafka, spec, topics }).done
  const audit = await readAudit(kafka, { jobId: spec.id, topics })
  assert.deepEqual(
    audit.map((a) => [a.event, a.by]),
    [
      ['created', 'carol'],
      ['started', 'carol'],
      ['finished', 'carol'],
    ],
  )
  const finished = audit[2]!
  assert.deepEqual(finished.selection, { key: 'b' })
  assert.equal(finished.targetTopic, fixture.retry)
  assert.deepEqual(finished.counts, { scanned: 2, replayed: 1, unmatched: 1, skipped: 0 })
  const job = await readJob(kafka, spec.id, topics)
  assert.equal(job.status, JobStatus.done)
  assert.deepEqual(job.progress, { '0': '2' })
})

test("a replay keeps each target partition's record batch under the target topic's max.message.bytes", async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const total = 120
  const fixture = await deadLetters(
    t,
    kafka,
    Array.from({ length: total }, (_, i) => ({
      key: `k${i}`,
      value: Buffer.alloc(2_000, i),
      errorClass: 'LedgerError',
      message: 'm',
      partition: i % 3,
    })),
    { partitions: 3 },
  )
  // About 9 of these records fit one batch: a transaction of the default chunk would be refused.
  const admin = await testAdmin(t, kafka)
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: 2 as ConfigResourceTypes,
        name: fixture.retry,
        configEntries: [{ name: 'max.message.bytes', value: '20000' }],
      },
    ],
  })
  const spec = await planReplay(kafka, { topic: fixture.dlt, by: 'dora' })
  const run = startReplay({ kafka, spec, topics, chunkSize: 5_000 })
  let transactions = 0
  run.on('progress', () => {
    transactions += 1
  })
  const done = await run.done
  assert.equal(done.status, JobStatus.done)
  assert.equal(done.counts.replayed, total)
  assert.ok(transactions > 5, `the records were split over several transactions (${transactions})`)
  const replayed = await collect(t, kafka, [fixture.retry], { readCommitted: true })
  await waitFor(() => replayed.length >= total, { description: 'every replayed record' })
  assert.equal(new Set(replayed.map((r) => String(r.message.key))).size, total)
})
