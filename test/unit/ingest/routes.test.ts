import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EventTypeMap } from '@event-backbone/catalog'
import { eventTypes } from '@event-backbone/catalog'
import {
  AvroEncodeError,
  BufferFullError,
  PublisherClosedError,
  PublishFailedError,
  PublishRejectedError,
  PublishTimeoutError,
  RecordTooLargeError,
  RegistryUnavailableError,
  TopicNotFoundError,
} from '@event-backbone/errors'
import { buildIngestApp, hashApiKey, type IngestOptions, parseApiKeys } from '#libs/ingest'
import type { PublishResult } from '#libs/publisher'
import { sensorJson } from '../../helpers/ingest.ts'

const headers = { 'content-type': 'application/json', 'x-api-key': 'k' }
const keys = parseApiKeys(`k:${hashApiKey('k')}:*`, [...eventTypes()])

type Publish = IngestOptions['publisher']['publish']

/** A stand-in publisher (unit tests only): each call answers with what `answer` returns. */
function app(
  answer: (index: number, event: EventTypeMap[keyof EventTypeMap]) => Promise<PublishResult>,
  options: Partial<IngestOptions> = {},
) {
  let calls = 0
  const publish = ((_type: string, event: EventTypeMap[keyof EventTypeMap]) =>
    answer(calls++, event)) as Publish
  return buildIngestApp({ publisher: { publish }, keys, ...options })
}

const stored = (offset: number): PublishResult => ({
  topic: 'sensor-readings',
  partition: 0,
  offset: String(offset),
})

test('a batch whose publishes partly fail is answered 207 with each item’s outcome', async (t) => {
  const gateway = await app(async (index) => {
    if (index === 1) throw new PublishFailedError('broker went away')
    return stored(index)
  })
  t.after(() => gateway.close())
  const items = [sensorJson(), sensorJson(), sensorJson()]
  const response = await gateway.inject({
    method: 'POST',
    url: '/v1/events/SensorReading/batch',
    headers,
    payload: items,
  })
  assert.equal(response.statusCode, 207)
  assert.equal(response.headers['retry-after'], '5')
  const { results } = response.json() as { results: Array<Record<string, unknown>> }
  assert.deepEqual(
    results.map((result) => [
      result['index'],
      result['status'],
      result['eventId'],
      result['offset'] ?? result['error'],
    ]),
    [
      [0, 202, items[0]!['eventId'], '0'],
      [1, 503, items[1]!['eventId'], 'kafka_unavailable'],
      [2, 202, items[2]!['eventId'], '2'],
    ],
  )
})

test('a publish that is not acknowledged within the publish timeout is answered 503', async (t) => {
  const gateway = await app(() => new Promise<PublishResult>(() => {}), { publishTimeoutMs: 50 })
  t.after(() => gateway.close())
  const response = await gateway.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers,
    payload: sensorJson(),
  })
  assert.equal(response.statusCode, 503)
  assert.equal(response.json().error, 'kafka_unavailable')
  assert.match(response.json().message, /may still be stored/)
})

test('operator-side failures are 503 with Retry-After, never 4xx: a missing topic, a closing gateway', async (t) => {
  const failures = [
    new TopicNotFoundError('topic "sensor-readings" does not exist'),
    new PublisherClosedError(),
  ]
  const gateway = await app(async (index) => {
    throw failures[index]
  })
  t.after(() => gateway.close())
  for (const expected of ['topic_not_found', 'shutting_down']) {
    const response = await gateway.inject({
      method: 'POST',
      url: '/v1/events/SensorReading',
      headers,
      payload: sensorJson(),
    })
    assert.equal(response.statusCode, 503)
    assert.equal(response.headers['retry-after'], '5')
    assert.equal(response.json().error, expected)
  }
})

test('an unexpected publisher failure is a 500 with the request id, not a hang or a crash', async (t) => {
  const gateway = await app(async () => {
    throw new TypeError('bug')
  })
  t.after(() => gateway.close())
  const response = await gateway.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers,
    payload: sensorJson(),
  })
  assert.equal(response.statusCode, 500)
  assert.equal(response.json().requestId, response.headers['x-request-id'])
})

test('the event handed to the publisher has a Date and nulls for omitted optional fields', async (t) => {
  const seen: unknown[] = []
  const gateway = await app(async (index, event) => {
    seen.push(event)
    return stored(index)
  })
  t.after(() => gateway.close())
  const posted = sensorJson({ occurredAt: '2026-11-27T11:18:00.250+01:00' })
  const response = await gateway.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers,
    payload: posted,
  })
  assert.equal(response.statusCode, 202)
  assert.deepEqual(response.json(), { eventId: posted['eventId'], ...stored(0) })
  assert.deepEqual(seen, [{ ...posted, occurredAt: new Date('2026-11-27T10:18:00.250Z'), location: null }])
})

test('content types: JSON with a charset is accepted, a missing content type is 415', async (t) => {
  const gateway = await app(async (index) => stored(index))
  t.after(() => gateway.close())
  const withCharset = await gateway.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
    payload: JSON.stringify(sensorJson()),
  })
  assert.equal(withCharset.statusCode, 202)
  const without = await gateway.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers: { 'x-api-key': 'k' },
    payload: JSON.stringify(sensorJson()),
  })
  assert.equal(without.statusCode, 415, without.body)
  assert.equal(without.json().error, 'unsupported_media_type')
})

test('a failed publish answers the status of its error in the catalogue, with the catalogue code beside the documented reason', async (t) => {
  const cases = [
    [PublishFailedError, 'kafka_unavailable'],
    [PublishTimeoutError, 'kafka_unavailable'],
    [RegistryUnavailableError, 'registry_unavailable'],
    [BufferFullError, 'overloaded'],
    [PublisherClosedError, 'shutting_down'],
    [TopicNotFoundError, 'topic_not_found'],
    [RecordTooLargeError, 'event_too_large'],
    [AvroEncodeError, 'invalid_event'],
    [PublishRejectedError, 'internal_error'],
  ] as const
  for (const [ErrorClass, reason] of cases) {
    const gateway = await app(async () => {
      throw new ErrorClass()
    })
    t.after(() => gateway.close())
    const response = await gateway.inject({
      method: 'POST',
      url: '/v1/events/SensorReading',
      headers,
      payload: sensorJson(),
    })
    assert.equal(response.statusCode, ErrorClass.httpStatus, ErrorClass.code)
    const body = response.json()
    assert.deepEqual(
      [body.error, body.code, body.requestId],
      [reason, ErrorClass.code, response.headers['x-request-id']],
    )
    assert.equal(
      response.headers['retry-after'] !== undefined,
      ErrorClass.httpStatus === 503,
      ErrorClass.code,
    )
  }
})
