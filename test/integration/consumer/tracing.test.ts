// Proves the consumer runtime's process spans: a child of the record's traceparent, retries and dead-lettering as span events with the error, and outputs carrying the process span's context.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { subscription } from '#libs/consumer'
import { childTraceparent } from '#libs/events'
import { deadLetterTopicName } from '#libs/kafka'
import { collect, header, produce, startGroup } from '../../helpers/consumer.ts'
import { createTestTopics, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { inMemoryTracing } from '../../helpers/tracing.ts'
import { encodeWire, orderDecoder } from '../../helpers/wire.ts'

const spans = inMemoryTracing()
const traceId = '0af7651916cd43dd8448eb211c80319c'
const parentId = 'b7ad6b7169203331'
const traceparent = `00-${traceId}-${parentId}-01`

test('a record whose handler keeps failing is processed in one span with a retry event per in-process retry and a dead_letter event, status error', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  const groupId = uniqueName('traced-dlq')
  await createTestTopics(t, [{ topic }], kafka)
  await produce(t, kafka, topic, [
    { key: 'k1', value: encodeWire({ eventId: 'e1', amount: 5, note: '' }), headers: { traceparent } },
  ])
  await startGroup(t, {
    kafka,
    groupId,
    defaults: { retry: { attempts: 2, initialDelay: 10, maxDelay: 20 } },
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: async () => {
          throw new Error('database timeout')
        },
      }),
    ],
  })
  const span = await waitFor(
    () => spans.getFinishedSpans().find((span) => span.name === `process ${topic}`),
    { description: 'the process span' },
  ).catch((error: Error) => {
    throw new Error(
      `${error.message}; spans: ${JSON.stringify(spans.getFinishedSpans().map((span) => span.name))}`,
    )
  })
  assert.equal(span.kind, SpanKind.CONSUMER)
  assert.equal(span.spanContext().traceId, traceId)
  assert.equal(span.parentSpanContext?.spanId, parentId, 'a child of the record’s traceparent')
  assert.equal(span.attributes['messaging.system'], 'kafka')
  assert.equal(span.attributes['messaging.destination.name'], topic)
  assert.equal(span.attributes['messaging.operation.type'], 'process')
  assert.equal(span.attributes['messaging.consumer.group.name'], groupId)
  assert.equal(span.attributes['messaging.kafka.message.key'], 'k1')
  assert.equal(span.attributes['messaging.kafka.offset'], 0)
  assert.deepEqual(
    span.events.map((event) => [
      event.name,
      event.attributes?.['backbone.attempt'],
      event.attributes?.['exception.message'],
    ]),
    [
      ['retry', 1, 'database timeout'],
      ['retry', 2, 'database timeout'],
      ['dead_letter', 3, 'database timeout'],
    ],
  )
  assert.equal(
    span.events[2]?.attributes?.['messaging.destination.name'],
    deadLetterTopicName(groupId, topic),
  )
  assert.equal(span.status.code, SpanStatusCode.ERROR)
})

test('an output emitted by a handler carries the process span’s context as its traceparent', async (t) => {
  const kafka = testKafka()
  const topic = uniqueName('orders')
  const outputs = uniqueName('shipments')
  await createTestTopics(t, [{ topic }, { topic: outputs }], kafka)
  await produce(t, kafka, topic, [
    { value: encodeWire({ eventId: 'e2', amount: 1, note: '' }), headers: { traceparent } },
  ])
  const collected = await collect(t, kafka, [outputs])
  await startGroup(t, {
    kafka,
    groupId: uniqueName('traced-output'),
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: (order, ctx) =>
          ctx.emit(outputs, order.eventId, Buffer.from('shipped'), {
            headers: { traceparent: childTraceparent(ctx.headers) },
          }),
      }),
    ],
  })
  const output = await waitFor(() => collected[0], { description: 'the output record' })
  const span = spans.getFinishedSpans().find((span) => span.name === `process ${topic}`)
  assert.ok(span)
  assert.equal(header(output.message.headers, 'traceparent'), `00-${traceId}-${span.spanContext().spanId}-01`)
})
