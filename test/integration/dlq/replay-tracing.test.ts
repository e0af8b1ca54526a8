// Proves a replay job is traced: one span for the job, and each replayed record carries a traceparent of its own send span, linked to the trace the record failed in.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SpanKind } from '@opentelemetry/api'
import { JobStatus, planReplay, startReplay } from '#libs/dlq'
import { collect, header } from '../../helpers/consumer.ts'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { testKafka, waitFor } from '../../helpers/kafka.ts'
import { inMemoryTracing } from '../../helpers/tracing.ts'

const spans = inMemoryTracing()
const failedTrace = '5e1f0c5a7d3b4e2f8a9c0d1e2f3a4b5c'
const failedSpan = '1a2b3c4d5e6f7081'

test('a replay job is one span, and each replayed record’s traceparent names a send span under it linked to the original trace', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    {
      key: 'a',
      value: Buffer.from([1, 2, 3]),
      errorClass: 'LedgerError',
      message: 'ledger closed',
      headers: { traceparent: `00-${failedTrace}-${failedSpan}-01` },
    },
  ])
  const replayed = await collect(t, kafka, [fixture.retry])
  const spec = await planReplay(kafka, { topic: fixture.dlt, by: 'alice' })
  const done = await startReplay({ kafka, spec, topics }).done
  assert.equal(done.status, JobStatus.done)
  const record = await waitFor(() => replayed[0], { description: 'the replayed record' })

  const job = await waitFor(
    () => spans.getFinishedSpans().find((span) => span.name === `replay ${fixture.dlt}`),
    { description: 'the replay job span' },
  )
  assert.equal(job.parentSpanContext, undefined, 'a replay starts a trace of its own')
  assert.equal(job.attributes['backbone.replay.id'], spec.id)
  assert.equal(job.attributes['backbone.replay.by'], 'alice')
  assert.equal(job.attributes['backbone.replay.records'], 1)
  const send = spans.getFinishedSpans().find((span) => span.name === `send ${fixture.retry}`)
  assert.ok(send, 'a send span per replayed record')
  assert.equal(send.kind, SpanKind.PRODUCER)
  assert.equal(send.parentSpanContext?.spanId, job.spanContext().spanId)
  assert.equal(send.spanContext().traceId, job.spanContext().traceId)
  assert.deepEqual(
    send.links.map((link) => [link.context.traceId, link.context.spanId]),
    [[failedTrace, failedSpan]],
    'linked to the trace the record failed in',
  )
  assert.equal(
    header(record.message.headers, 'traceparent'),
    `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`,
  )
})
