import assert from 'node:assert/strict'
import { test } from 'node:test'
import { context, trace } from '@opentelemetry/api'
import { activeTraceparent, activeTracer, contextFromHeaders, traceparentOf } from '#libs/kafka'
import { inMemoryTracing } from '../../helpers/tracing.ts'

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
const spanId = '00f067aa0ba902b7'

test('without a registered trace SDK there is no tracer, so nothing builds spans', () => {
  assert.equal(activeTracer(), undefined)
  assert.equal(activeTraceparent(), undefined)
})

test('a record’s traceparent header (Buffer, as kafkajs reads it) becomes the remote parent context', () => {
  inMemoryTracing()
  const parent = trace.getSpanContext(
    contextFromHeaders({ traceparent: Buffer.from(`00-${traceId}-${spanId}-01`) }),
  )
  assert.deepEqual(
    {
      traceId: parent?.traceId,
      spanId: parent?.spanId,
      sampled: parent?.traceFlags,
      remote: parent?.isRemote,
    },
    { traceId, spanId, sampled: 1, remote: true },
  )
})

test('a record without a valid traceparent gives no parent', () => {
  assert.equal(trace.getSpanContext(contextFromHeaders({ traceparent: 'not-a-traceparent' })), undefined)
  assert.equal(trace.getSpanContext(contextFromHeaders(undefined)), undefined)
})

test('a span started under a record’s context writes a traceparent of the same trace naming the span', () => {
  const tracer = activeTracer()
  assert.ok(tracer, 'a tracer once the SDK is registered')
  const span = tracer.startSpan(
    'process t',
    {},
    contextFromHeaders({ traceparent: `00-${traceId}-${spanId}-01` }),
  )
  assert.equal(traceparentOf(span), `00-${traceId}-${span.spanContext().spanId}-01`)
  assert.notEqual(span.spanContext().spanId, spanId)
  assert.equal(activeTraceparent(), undefined, 'no span is active outside context.with')
  context.with(trace.setSpan(context.active(), span), () => {
    assert.equal(activeTraceparent(), traceparentOf(span), 'inside, outputs carry the active span')
  })
  span.end()
})
