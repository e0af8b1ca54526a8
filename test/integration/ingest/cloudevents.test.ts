// Proves that the gateway takes CloudEvents over HTTP, as the cloudevents SDK sends them (binary, structured, batch), publishes each as its catalog event with the CloudEvents Kafka binding only after Kafka acknowledged it, and refuses bad envelopes and out-of-scope keys with a 4xx that names the problem while nothing reaches Kafka.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { type TestContext, test } from 'node:test'
import {
  CloudEvent,
  CONSTANTS,
  emitterFor,
  HTTP,
  httpTransport,
  Kafka as KafkaBinding,
  type KafkaMessage,
  Mode,
} from 'cloudevents'
import type { FastifyInstance } from 'fastify'
import { endOffsets, gatewayOnPrivateTopics, keys, readAt, type TestGateway } from '../../helpers/ingest.ts'

const SENSOR_TYPE = 'dev.eventbackbone.events.SensorReading'
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
const auth = { authorization: `Bearer ${keys.all}` }

function sensorData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sensorId: 'sensor-ce-0815', kind: 'TEMPERATURE', value: 21.5, unit: 'Cel', ...overrides }
}

function sensorEvent(overrides: Record<string, unknown> = {}): CloudEvent<Record<string, unknown>> {
  return new CloudEvent({
    specversion: '1.0',
    id: randomUUID(),
    type: SENSOR_TYPE,
    source: 'https://plant-2.example/sensors',
    time: '2026-12-04T08:07:06.500Z',
    datacontenttype: 'application/json',
    data: sensorData(),
    ...overrides,
  })
}

interface Ack {
  id: string
  eventId: string
  eventType: string
  topic: string
  partition: number
  offset: string
}

async function post(
  app: FastifyInstance,
  message: { headers: Record<string, unknown>; body: unknown },
  headers = auth,
) {
  return app.inject({
    method: 'POST',
    url: '/v1/cloudevents',
    headers: { ...(message.headers as Record<string, string>), ...headers },
    payload: message.body as string,
  })
}

/** The stored record, checked as the CloudEvent it must be: the SDK's Kafka binding reads it back. */
async function storedEvent(t: TestContext, gateway: TestGateway, ack: Ack) {
  const record = await readAt(t, ack.topic, ack.partition, ack.offset)
  const message: KafkaMessage<Buffer> = {
    key: record.key ?? '',
    value: record.value,
    headers: record.headers,
    body: record.value,
  }
  const ce = KafkaBinding.toEvent(message)
  const event = await gateway.serde.decode('SensorReading', record.value)
  return { record, ce: ce as CloudEvent<unknown>, event }
}

test('a binary-mode CloudEvent from the SDK is published as its catalog event after the broker acknowledged it', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  const sent = sensorEvent({ traceparent })
  const response = await post(gateway.app, HTTP.binary(sent))
  assert.equal(response.statusCode, 202, response.body)
  const ack = response.json() as Ack
  assert.equal(ack.eventId, sent.id)
  assert.equal(ack.eventType, 'SensorReading')
  assert.equal(ack.topic, gateway.topics['sensor-readings'])

  const { record, ce, event } = await storedEvent(t, gateway, ack)
  assert.equal(event.eventId, sent.id)
  assert.deepEqual(event.occurredAt, new Date('2026-12-04T08:07:06.500Z'))
  assert.equal(
    event.source,
    'https://plant-2.example/sensors',
    'the CloudEvent source fills the event source',
  )
  assert.equal(event.value, 21.5)
  assert.equal(record.key, 'sensor-ce-0815')
  assert.equal(ce.id, sent.id)
  assert.equal(ce.type, SENSOR_TYPE)
  assert.equal(ce.source, 'https://plant-2.example/sensors', 'the record keeps the client source')
  assert.equal(ce.time, '2026-12-04T08:07:06.500Z')
  assert.equal(ce['traceparent'], traceparent)
  assert.equal(record.headers['traceparent'], traceparent)
  assert.equal(ce.datacontenttype, 'application/avro')
})

test('a structured-mode CloudEvent with the catalog short type, no time and an extension is published', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  const sent = new CloudEvent({
    id: randomUUID(),
    type: 'SensorReading',
    source: '/plant-3',
    data: sensorData({ source: 'line-4', sensorId: 'sensor-structured' }),
    subject: 'sensor-structured',
    plant: 'p3',
  })
  // The SDK fills `time` when absent: drop it to prove the gateway's default.
  const body = JSON.parse(HTTP.structured(sent).body as string)
  delete body.time
  const before = Date.now()
  const response = await post(gateway.app, {
    headers: { 'content-type': CONSTANTS.MIME_CE_JSON, traceparent },
    body: JSON.stringify(body),
  })
  assert.equal(response.statusCode, 202, response.body)
  const { record, ce, event } = await storedEvent(t, gateway, response.json() as Ack)
  assert.equal(event.eventId, sent.id)
  assert.equal(event.source, 'line-4', "data's own source field is kept")
  assert.ok(event.occurredAt.getTime() >= before - 1 && event.occurredAt.getTime() <= Date.now())
  assert.equal(ce.type, SENSOR_TYPE, 'the record names the type by its Avro full name')
  assert.equal(ce.source, '/plant-3')
  assert.equal(ce['plant'], 'p3')
  assert.equal(ce.subject, 'sensor-structured')
  assert.equal(record.headers['traceparent'], traceparent, 'the HTTP traceparent header is honoured')
})

test('a batch of CloudEvents is published in order, each answered with its coordinates', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  const events = [sensorEvent(), sensorEvent({ data: sensorData({ sensorId: 'b' }) }), sensorEvent()]
  const response = await post(gateway.app, {
    headers: { 'content-type': CONSTANTS.MIME_CE_BATCH },
    body: JSON.stringify(events.map((event) => JSON.parse(HTTP.structured(event).body as string))),
  })
  assert.equal(response.statusCode, 202, response.body)
  const { results } = response.json() as { results: Array<Ack & { index: number; status: number }> }
  assert.deepEqual(
    results.map((result) => [result.index, result.status, result.id]),
    events.map((event, index) => [index, 202, event.id]),
  )
  for (const [index, result] of results.entries()) {
    const { ce } = await storedEvent(t, gateway, result)
    assert.equal(ce.id, events[index]!.id)
  }
})

test("the SDK's own HTTP emitter delivers a binary CloudEvent to a listening gateway", async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  const address = await gateway.app.listen({ port: 0, host: '127.0.0.1' })
  const emit = emitterFor(httpTransport(`${address}/v1/cloudevents`), { mode: Mode.BINARY })
  const sent = sensorEvent()
  const response = (await emit(sent, { headers: auth })) as { body: string }
  const ack = JSON.parse(response.body) as Ack
  assert.equal(ack.eventId, sent.id, response.body)
  const { ce } = await storedEvent(t, gateway, ack)
  assert.equal(ce.id, sent.id)
})

test('a batch whose events partly fail to publish is answered 207 with each outcome', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  // A second gateway on the same broker whose payments topic does not exist: those publishes fail.
  const { buildIngestApp } = await import('#libs/ingest')
  const { createPublisher } = await import('#libs/publisher')
  const { renamedTopics, testApiKeys } = await import('../../helpers/ingest.ts')
  const { testKafka } = await import('../../helpers/kafka.ts')
  const publisher = createPublisher({
    kafka: testKafka(),
    encoder: renamedTopics(gateway.serde, { ...gateway.topics, payments: `missing-${randomUUID()}` }),
  })
  t.after(() => publisher.close())
  const app = await buildIngestApp({ publisher, keys: testApiKeys(), publishTimeoutMs: 20_000 })
  t.after(() => app.close())
  const payment = new CloudEvent({
    id: randomUUID(),
    type: 'dev.eventbackbone.events.PaymentConfirmed',
    source: '/billing',
    time: '2026-12-04T08:07:06.500Z',
    data: {
      paymentId: randomUUID(),
      payerAccountId: 'a',
      payeeAccountId: 'b',
      amountMinor: 100,
      currency: 'EUR',
      method: 'CARD',
      providerReference: 'r',
      description: null,
    },
  })
  const events = [sensorEvent(), payment]
  const response = await post(app, {
    headers: { 'content-type': CONSTANTS.MIME_CE_BATCH },
    body: JSON.stringify(events.map((event) => JSON.parse(HTTP.structured(event).body as string))),
  })
  assert.equal(response.statusCode, 207, response.body)
  const { results } = response.json() as { results: Array<{ index: number; status: number; error?: string }> }
  assert.deepEqual(
    results.map((result) => [result.index, result.status, result.error]),
    [
      [0, 202, undefined],
      [1, 503, 'topic_not_found'],
    ],
  )
})

interface Case {
  readonly name: string
  readonly headers: Record<string, string>
  readonly body: string
  readonly status: number
  readonly error: string
  readonly names: RegExp
}

function binaryCase(
  name: string,
  change: Record<string, string | undefined>,
  status: number,
  error: string,
  names: RegExp,
): Case {
  const message = HTTP.binary(sensorEvent())
  const headers = withChanges({ ...(message.headers as Record<string, string>) }, change) as Record<
    string,
    string
  >
  return { name, headers, body: message.body as string, status, error, names }
}

function structuredCase(
  name: string,
  change: Record<string, unknown>,
  status: number,
  error: string,
  names: RegExp,
): Case {
  const body = withChanges(JSON.parse(HTTP.structured(sensorEvent()).body as string), change)
  return {
    name,
    headers: { 'content-type': CONSTANTS.MIME_CE_JSON },
    body: JSON.stringify(body),
    status,
    error,
    names,
  }
}

/** `base` with `changes` applied: an undefined value removes the entry. */
function withChanges(
  base: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const changed = { ...base, ...changes }
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete changed[name]
  return changed
}

function batchOf(items: unknown[]): string {
  return JSON.stringify(items)
}

const structuredItem = () => JSON.parse(HTTP.structured(sensorEvent()).body as string)

const cases: Case[] = [
  binaryCase('binary without ce-id', { 'ce-id': undefined }, 400, 'invalid_cloudevent', /ce-id/),
  binaryCase('binary without ce-source', { 'ce-source': undefined }, 400, 'invalid_cloudevent', /ce-source/),
  binaryCase('binary without ce-type', { 'ce-type': undefined }, 400, 'invalid_cloudevent', /ce-type/),
  binaryCase(
    'binary without ce-specversion',
    { 'ce-specversion': undefined },
    400,
    'invalid_cloudevent',
    /ce-specversion/,
  ),
  binaryCase(
    'binary with specversion 0.3',
    { 'ce-specversion': '0.3' },
    400,
    'unsupported_specversion',
    /"0\.3"/,
  ),
  binaryCase(
    'binary with XML data',
    { 'content-type': 'application/xml' },
    415,
    'unsupported_media_type',
    /application\/xml/,
  ),
  binaryCase(
    'binary with an id that is no UUID',
    { 'ce-id': 'A234-1234-1234' },
    400,
    'invalid_cloudevent',
    /A234-1234-1234.*UUID/,
  ),
  binaryCase(
    'binary with a time that is no RFC 3339',
    { 'ce-time': 'yesterday' },
    400,
    'invalid_cloudevent',
    /yesterday/,
  ),
  binaryCase(
    'binary with a source that is no URI-reference',
    { 'ce-source': 'a b' },
    400,
    'invalid_cloudevent',
    /source/,
  ),
  binaryCase(
    'an unknown type',
    { 'ce-type': 'com.example.Unknown' },
    400,
    'unknown_event_type',
    /com\.example\.Unknown/,
  ),
  binaryCase(
    'a bad traceparent extension',
    { 'ce-traceparent': 'nope' },
    400,
    'invalid_traceparent',
    /traceparent/,
  ),
  {
    ...binaryCase('binary data that is not JSON', {}, 400, 'invalid_json', /not valid JSON/),
    body: '{"sensorId":',
  },
  {
    ...binaryCase(
      'binary data that is an array',
      {},
      400,
      'invalid_cloudevent',
      /data must be a JSON object/,
    ),
    body: '[1]',
  },
  {
    ...binaryCase('data that breaks the schema', {}, 400, 'invalid_event', /value/),
    body: JSON.stringify(sensorData({ value: 'warm' })),
  },
  structuredCase(
    'structured without specversion',
    { specversion: undefined },
    400,
    'invalid_cloudevent',
    /specversion/,
  ),
  structuredCase('structured without source', { source: undefined }, 400, 'invalid_cloudevent', /source/),
  structuredCase(
    'structured with XML datacontenttype',
    { datacontenttype: 'text/xml' },
    415,
    'unsupported_datacontenttype',
    /text\/xml/,
  ),
  structuredCase(
    'structured with the 0.3-only schemaurl',
    { schemaurl: 'https://example.com/s' },
    400,
    'invalid_cloudevent',
    /schemaurl/,
  ),
  structuredCase(
    'structured with base64 data',
    { data_base64: 'Zm9v' },
    415,
    'unsupported_datacontenttype',
    /binary data/,
  ),
  structuredCase('structured without data', { data: undefined }, 400, 'invalid_cloudevent', /data/),
  structuredCase(
    'structured with data.eventId other than id',
    { data: { ...sensorData(), eventId: randomUUID() } },
    400,
    'invalid_cloudevent',
    /eventId/,
  ),
  {
    name: 'structured that is an array',
    headers: { 'content-type': CONSTANTS.MIME_CE_JSON },
    body: '[]',
    status: 400,
    error: 'invalid_cloudevent',
    names: /JSON object/,
  },
  {
    name: 'a batch that is not an array',
    headers: { 'content-type': CONSTANTS.MIME_CE_BATCH },
    body: '{}',
    status: 400,
    error: 'invalid_batch',
    names: /array/,
  },
  {
    name: 'an empty batch',
    headers: { 'content-type': CONSTANTS.MIME_CE_BATCH },
    body: '[]',
    status: 400,
    error: 'invalid_batch',
    names: /non-empty/,
  },
  {
    name: 'a batch of too many events',
    headers: { 'content-type': CONSTANTS.MIME_CE_BATCH },
    body: batchOf([structuredItem(), structuredItem(), structuredItem()]),
    status: 413,
    error: 'batch_too_large',
    names: /at most 2/,
  },
  {
    name: 'a batch with one bad item',
    headers: { 'content-type': CONSTANTS.MIME_CE_BATCH },
    body: batchOf([structuredItem(), { ...structuredItem(), specversion: '2.0' }]),
    status: 400,
    error: 'unsupported_specversion',
    names: /item \[1\]/,
  },
  {
    name: 'a JSON body without any CloudEvent headers',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sensorData()),
    status: 400,
    error: 'invalid_cloudevent',
    names: /structured/,
  },
]

test('every bad envelope is refused with its status and a body naming the problem, and no topic moves', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t, { maxBatchItems: 2 })
  const topics = Object.values(gateway.topics)
  const before = await endOffsets(t, topics)
  for (const c of cases) {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/cloudevents',
      headers: { ...c.headers, ...auth },
      payload: c.body,
    })
    assert.equal(response.statusCode, c.status, `${c.name}: ${response.body}`)
    const body = response.json() as { error: string; message: string; requestId: string }
    assert.equal(body.error, c.error, `${c.name}: ${response.body}`)
    assert.match(body.message, c.names, `${c.name}: ${response.body}`)
    assert.ok(body.requestId, `${c.name}: has a request id`)
  }
  assert.deepEqual(await endOffsets(t, topics), before, 'nothing was published')
})

test('a key is refused for types outside its scope, and without a key nothing is read', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t)
  const topics = Object.values(gateway.topics)
  const before = await endOffsets(t, topics)
  const payment = new CloudEvent({
    id: randomUUID(),
    type: 'dev.eventbackbone.events.PaymentConfirmed',
    source: '/x',
    data: {},
  })

  const forbidden = await post(gateway.app, HTTP.binary(payment), { authorization: `Bearer ${keys.sensors}` })
  assert.equal(forbidden.statusCode, 403, forbidden.body)
  assert.match(forbidden.json().message, /"sensors" may not publish PaymentConfirmed/)

  const mixed = await post(
    gateway.app,
    {
      headers: { 'content-type': CONSTANTS.MIME_CE_BATCH },
      body: batchOf([structuredItem(), JSON.parse(HTTP.structured(payment).body as string)]),
    },
    { authorization: `Bearer ${keys.sensors}` },
  )
  assert.equal(mixed.statusCode, 403, mixed.body)
  assert.match(mixed.json().message, /item \[1\].*PaymentConfirmed/)

  const anonymous = await post(gateway.app, HTTP.binary(sensorEvent()), {} as typeof auth)
  assert.equal(anonymous.statusCode, 401)
  const wrong = await post(gateway.app, HTTP.binary(sensorEvent()), { authorization: 'Bearer nope' })
  assert.equal(wrong.statusCode, 401)

  const allowed = await post(gateway.app, HTTP.binary(sensorEvent()), {
    authorization: `Bearer ${keys.sensors}`,
  })
  assert.equal(allowed.statusCode, 202, 'the same key may publish its own type')
  const after = await endOffsets(t, topics)
  const sensors = gateway.topics['sensor-readings']!
  for (const topic of topics)
    if (topic !== sensors) assert.equal(after[topic], before[topic], `${topic} did not move`)
})
