// Proves a trigger's delivery is traced: an HTTP client span, child of the consumer runtime's process span in the publisher's trace, whose context the function receives in its traceparent header, with the status and an error status when the function refuses.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { startFunction } from '../../helpers/function-server.ts'
import { uniqueName, waitFor } from '../../helpers/kafka.ts'
import { inMemoryTracing } from '../../helpers/tracing.ts'
import { alert, alertTrigger, serviceFixture, startTriggers } from './helpers.ts'

const spans = inMemoryTracing()

test('a delivery is a POST client span under the process span of the published trace, and the function receives its context', async (t) => {
  const fixture = await serviceFixture(t)
  const user = uniqueName('traced')
  const fn = await startFunction(t, (request) =>
    request.headers['ce-id'] === refusedId ? { status: 400, body: 'no such user' } : undefined,
  )
  const trace = (n: number) => `00-${n.toString(16).padStart(32, 'a')}-${'b'.repeat(16)}-01`
  const accepted = alert(user)
  const refused = alert(user)
  const refusedId = refused.eventId
  await startTriggers(t, fixture, alertTrigger('traced', fn.url, user))
  await fixture.publisher.publish('SecurityAlert', accepted, { traceparent: trace(1) })
  await fixture.publisher.publish('SecurityAlert', refused, { traceparent: trace(2) })
  const posts = await waitFor(
    () => {
      const found = spans.getFinishedSpans().filter((span) => span.name === 'POST')
      return found.length >= 2 ? found : undefined
    },
    { timeoutMs: 60_000, description: 'two delivery spans' },
  )
  const ok = posts.find((span) => span.spanContext().traceId === trace(1).split('-')[1])!
  const failed = posts.find((span) => span.spanContext().traceId === trace(2).split('-')[1])!
  assert.ok(ok && failed, 'each delivery span is in its event’s trace')

  assert.equal(ok.kind, SpanKind.CLIENT)
  assert.equal(ok.attributes['http.request.method'], 'POST')
  assert.equal(ok.attributes['http.response.status_code'], 200)
  assert.equal(ok.attributes['backbone.trigger'], 'traced')
  assert.equal(ok.attributes['url.full'], fn.url)
  assert.equal(ok.status.code, SpanStatusCode.UNSET)
  const process = spans
    .getFinishedSpans()
    .find((span) => span.spanContext().spanId === ok.parentSpanContext?.spanId)
  assert.equal(process?.name, 'process security-alerts', 'the delivery is a child of the process span')

  const delivered = fn.received.find((request) => request.headers['ce-id'] === accepted.eventId)!
  assert.equal(
    delivered.headers['traceparent'],
    `00-${ok.spanContext().traceId}-${ok.spanContext().spanId}-01`,
    'the function continues the delivery span',
  )
  const publish = spans
    .getFinishedSpans()
    .find(
      (span) =>
        span.name === 'send security-alerts' && span.spanContext().traceId === ok.spanContext().traceId,
    )
  assert.equal(
    delivered.headers['ce-traceparent'],
    `00-${publish?.spanContext().traceId}-${publish?.spanContext().spanId}-01`,
    'the CloudEvent keeps the event’s origin: the publish span the record carries',
  )

  assert.equal(failed.attributes['http.response.status_code'], 400)
  assert.equal(failed.attributes['error.type'], '400')
  assert.equal(failed.status.code, SpanStatusCode.ERROR)
  assert.match(failed.status.message ?? '', /400: no such user/)
})
