// Proves that bad HTTP input is refused with a status and a body naming the problem, and that none of it reaches Kafka: the end offsets of every (private copy of a) catalog topic stay where they were.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { endOffsets, gatewayOnPrivateTopics, keys, sensorJson } from '../../helpers/ingest.ts'

interface Case {
  readonly name: string
  readonly url?: string
  readonly headers?: Record<string, string>
  readonly body: string
  readonly status: number
  readonly error: string
  /** Checks on the rest of the body. */
  readonly expect?: (body: Record<string, unknown>) => void
}

const json = { 'content-type': 'application/json', authorization: `Bearer ${keys.all}` }
const sensorUrl = '/v1/events/SensorReading'

const cases: Case[] = [
  {
    name: 'wrong types',
    body: JSON.stringify(sensorJson({ value: 'warm', kind: 'SMELL' })),
    status: 400,
    error: 'invalid_event',
    expect: (body) =>
      assert.deepEqual(
        (body['errors'] as Array<{ path: string }>).map((error) => error.path),
        ['kind', 'value'],
      ),
  },
  {
    name: 'a money amount as a string',
    url: '/v1/events/PaymentConfirmed',
    body: JSON.stringify({
      eventId: crypto.randomUUID(),
      occurredAt: 1,
      source: 's',
      paymentId: crypto.randomUUID(),
      payerAccountId: 'a',
      payeeAccountId: 'b',
      amountMinor: '12.5',
      currency: 'EUR',
      method: 'CARD',
    }),
    status: 400,
    error: 'invalid_event',
    expect: (body) =>
      assert.deepEqual(body['errors'], [
        { path: 'amountMinor', message: 'expected long (an integer), got "12.5"' },
      ]),
  },
  {
    name: 'missing fields',
    body: JSON.stringify({ eventId: crypto.randomUUID(), source: 'x' }),
    status: 400,
    error: 'invalid_event',
    expect: (body) =>
      assert.deepEqual(
        (body['errors'] as Array<{ path: string; message: string }>).map((error) => error.path),
        ['occurredAt', 'sensorId', 'kind', 'value', 'unit'],
      ),
  },
  {
    name: 'an unknown field',
    body: JSON.stringify(sensorJson({ colour: 'red' })),
    status: 400,
    error: 'invalid_event',
    expect: (body) => assert.deepEqual(body['errors'], [{ path: 'colour', message: 'unknown field' }]),
  },
  {
    name: 'an unknown event type',
    url: '/v1/events/OrderPlaced',
    body: JSON.stringify(sensorJson()),
    status: 404,
    error: 'unknown_event_type',
    expect: (body) => assert.ok((body['knownEventTypes'] as string[]).includes('SensorReading')),
  },
  {
    name: 'an oversized body',
    body: JSON.stringify(sensorJson({ source: 'x'.repeat(4096) })),
    status: 413,
    error: 'body_too_large',
  },
  {
    name: 'a wrong content type',
    headers: { ...json, 'content-type': 'text/plain' },
    body: JSON.stringify(sensorJson()),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'bad JSON',
    body: '{"eventId": "x",}',
    status: 400,
    error: 'invalid_json',
    expect: (body) => assert.equal(body['position'], 16),
  },
  {
    name: 'an empty body',
    body: '',
    status: 400,
    error: 'invalid_json',
  },
  {
    name: 'a missing API key',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sensorJson()),
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'a wrong API key',
    headers: { ...json, authorization: 'Bearer not-a-key' },
    body: JSON.stringify(sensorJson()),
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'a key that may not publish the type',
    url: '/v1/events/PaymentConfirmed',
    headers: { ...json, authorization: '', 'x-api-key': keys.sensors },
    body: JSON.stringify(sensorJson()),
    status: 403,
    error: 'forbidden',
  },
  {
    name: 'an invalid traceparent',
    headers: { ...json, traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
    body: JSON.stringify(sensorJson()),
    status: 400,
    error: 'invalid_traceparent',
  },
  {
    name: 'a batch with one invalid item among valid ones',
    url: `${sensorUrl}/batch`,
    body: JSON.stringify([sensorJson(), sensorJson({ value: null })]),
    status: 400,
    error: 'invalid_event',
    expect: (body) =>
      assert.deepEqual(body['errors'], [{ path: '[1].value', message: 'expected double, got null' }]),
  },
  {
    name: 'a batch that is not an array',
    url: `${sensorUrl}/batch`,
    body: JSON.stringify(sensorJson()),
    status: 400,
    error: 'invalid_batch',
  },
  {
    name: 'a batch over the item limit',
    url: `${sensorUrl}/batch`,
    body: JSON.stringify([sensorJson(), sensorJson(), sensorJson()]),
    status: 413,
    error: 'batch_too_large',
  },
]

test('every bad request is refused with its status and a body naming the problem, and no topic moves', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t, { bodyLimit: 2048, maxBatchItems: 2 })
  const topics = Object.values(gateway.topics)
  const before = await endOffsets(t, topics)
  for (const c of cases) {
    const response = await gateway.app.inject({
      method: 'POST',
      url: c.url ?? sensorUrl,
      headers: c.headers ?? json,
      payload: c.body,
    })
    assert.equal(response.statusCode, c.status, `${c.name}: ${response.body}`)
    const body = response.json() as Record<string, unknown>
    assert.equal(body['error'], c.error, c.name)
    assert.equal(typeof body['message'], 'string', c.name)
    assert.equal(body['requestId'], response.headers['x-request-id'], c.name)
    c.expect?.(body)
  }
  // The control: a valid event through the same gateway does move a topic, so the check can fail.
  const ok = await gateway.app.inject({
    method: 'POST',
    url: sensorUrl,
    headers: json,
    payload: sensorJson(),
  })
  assert.equal(ok.statusCode, 202, ok.body)
  const after = await endOffsets(t, topics)
  const moved = topics.filter((topic) => before[topic] !== after[topic])
  assert.deepEqual(moved, [gateway.topics['sensor-readings']], 'only the control event was published')
})
