import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Webhook } from 'standardwebhooks'
import {
  buildRequest,
  cloudEventAttributes,
  type DeliveryRecord,
  invocationCost,
  isRetriableStatus,
  matchesFilter,
  parseSecrets,
  retryAfterMs,
  signatureHeaders,
} from '#libs/triggers'

const record: DeliveryRecord = {
  eventType: 'SecurityAlert',
  event: {
    eventId: '5d6f1f0e-6f43-4b8f-9f0a-3c1b2a4d5e6f',
    occurredAt: new Date('2026-12-04T10:00:00.000Z'),
    source: 'login-monitor',
    userId: 'user-1',
    failureCount: 6,
  },
  topic: 'security-alerts',
  partition: 2,
  offset: '41',
  timestamp: '1796032800000',
  key: Buffer.from('user-1'),
  headers: { traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') },
  schemaId: 7,
}

test('CloudEvent attributes come from the event and the record when it has no ce_ headers', () => {
  assert.deepEqual(cloudEventAttributes(record, 'http://registry:8081/'), {
    specversion: '1.0',
    id: '5d6f1f0e-6f43-4b8f-9f0a-3c1b2a4d5e6f',
    type: 'dev.eventbackbone.events.SecurityAlert',
    source: 'login-monitor',
    time: '2026-12-04T10:00:00.000Z',
    subject: 'user-1',
    dataschema: 'http://registry:8081/schemas/ids/7',
    datacontenttype: 'application/json',
    partitionkey: 'user-1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  })
})

test('ce_ Kafka headers of the record win over what the event says', () => {
  const withHeaders = {
    ...record,
    headers: {
      ...record.headers,
      ce_type: Buffer.from('com.example.SecurityAlert'),
      ce_source: '/login-monitor',
    },
  }
  const attributes = cloudEventAttributes(withHeaders, 'http://r')
  assert.equal(attributes['type'], 'com.example.SecurityAlert')
  assert.equal(attributes['source'], '/login-monitor')
})

test('the filter matches CloudEvents attributes and event fields by exact value and prefix', () => {
  const attributes = cloudEventAttributes(record, 'http://r')
  const filter = (exact: Record<string, string>, prefix: Record<string, string> = {}) =>
    matchesFilter({ exact, prefix }, attributes, record.event)
  assert.equal(filter({ type: 'dev.eventbackbone.events.SecurityAlert', 'data.failureCount': '6' }), true)
  assert.equal(filter({}, { subject: 'user-', source: 'login' }), true)
  assert.equal(filter({ 'data.userId': 'user-2' }), false)
  assert.equal(filter({}, { 'data.missing': '' }), false, 'a missing field never matches')
})

test('binary mode puts the attributes in ce- headers and the event JSON in the body', () => {
  const request = buildRequest('binary', cloudEventAttributes(record, 'http://r'), record, 'k:9092')
  assert.equal(request.headers['ce-id'], record.event['eventId'])
  assert.equal(request.headers['ce-type'], 'dev.eventbackbone.events.SecurityAlert')
  assert.equal(request.headers['content-type'], 'application/json')
  assert.equal(JSON.parse(request.body).occurredAt, '2026-12-04T10:00:00.000Z')
})

test('structured mode sends one CloudEvents JSON object with the event as data', () => {
  const request = buildRequest('structured', cloudEventAttributes(record, 'http://r'), record, 'k:9092')
  assert.match(request.headers['content-type']!, /^application\/cloudevents\+json/)
  const envelope = JSON.parse(request.body)
  assert.equal(envelope.specversion, '1.0')
  assert.equal(envelope.data.userId, 'user-1')
})

test('the Lambda shape is the self-managed Kafka event with base64 key and JSON value', () => {
  const request = buildRequest('lambda', cloudEventAttributes(record, 'http://r'), record, 'a:9092,b:9092')
  const event = JSON.parse(request.body)
  assert.equal(event.eventSource, 'SelfManagedKafka')
  assert.equal(event.bootstrapServers, 'a:9092,b:9092')
  const [entry] = event.records['security-alerts-2']
  assert.equal(entry.offset, 41)
  assert.equal(entry.timestampType, 'CREATE_TIME')
  assert.equal(Buffer.from(entry.key, 'base64').toString(), 'user-1')
  assert.equal(JSON.parse(Buffer.from(entry.value, 'base64').toString()).userId, 'user-1')
  assert.equal(Buffer.from(entry.headers[0].traceparent).toString().slice(0, 2), '00')
})

test('4xx other than 408 and 429 are permanent; 408, 429 and 5xx are retried', () => {
  assert.deepEqual([400, 401, 404, 408, 409, 422, 429, 500, 502, 503].map(isRetriableStatus), [
    false,
    false,
    false,
    true,
    false,
    false,
    true,
    true,
    true,
    true,
  ])
})

test('Retry-After is read as seconds or as an HTTP date, and ignored when malformed', () => {
  const now = Date.parse('2026-12-04T10:00:00Z')
  assert.equal(retryAfterMs('3', now), 3_000)
  assert.equal(retryAfterMs('Fri, 04 Dec 2026 10:00:05 GMT', now), 5_000)
  assert.equal(retryAfterMs('Fri, 04 Dec 2026 09:00:00 GMT', now), 0)
  assert.equal(retryAfterMs('soon', now), undefined)
  assert.equal(retryAfterMs('-1', now), undefined)
  assert.equal(retryAfterMs(undefined, now), undefined)
})

test('the estimated cost is the request price plus memory × billed milliseconds × the GB-second price', () => {
  const cost = { memoryMb: 512, pricePerMillionInvocations: 0.2, pricePerGbSecond: 0.0000166667 }
  const bill = invocationCost(cost, 99.2)
  assert.equal(bill.gbSeconds, 0.5 * 0.1)
  assert.ok(Math.abs(bill.usd - (0.2e-6 + 0.05 * 0.0000166667)) < 1e-15)
  assert.equal(invocationCost(cost, 0).gbSeconds, 0.5 * 0.001, 'at least 1 ms is billed')
})

test('signatures verify with the standardwebhooks library, with either secret while a secret rotates', () => {
  const oldSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const newSecret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`
  const body = '{"hello":"world"}'
  const headers = signatureHeaders(parseSecrets(`${oldSecret} ${newSecret}`, 'S'), 'msg_1', body)
  assert.equal(headers['webhook-signature']!.split(' ').length, 2)
  for (const secret of [oldSecret, newSecret])
    assert.deepEqual(new Webhook(secret).verify(body, headers), { hello: 'world' })
  assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 9).toString('base64')}`).verify(body, headers))
  assert.throws(() => new Webhook(oldSecret).verify(`${body} `, headers), 'a changed body fails')
})

test('a missing or malformed secret variable is refused by name', () => {
  assert.throws(() => parseSecrets(undefined, 'FN_SECRET'), /FN_SECRET needs to hold one or more whsec_/)
  assert.throws(() => parseSecrets('whsec_short', 'FN_SECRET'), /FN_SECRET holds a secret that is not whsec_/)
})
