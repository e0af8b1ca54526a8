// Proves that a 202 from the gateway names where Kafka stored the event: the record at that topic, partition and offset decodes to the event that was posted, with its key and trace.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { catalogEncoder, catalogTopicSpecs } from '#libs/events'
import { buildIngestApp } from '#libs/ingest'
import { ensureTopics } from '#libs/kafka'
import { createMetricsRegistry } from '#libs/observability'
import { createPublisher } from '#libs/publisher'
import { keys, readAt, sensorJson, testApiKeys } from '../../helpers/ingest.ts'
import { testAdmin, testKafka } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'

const headers = { 'content-type': 'application/json', authorization: `Bearer ${keys.sensors}` }
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

async function gateway(t: import('node:test').TestContext) {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  const publisher = createPublisher({ kafka, encoder: catalogEncoder(serde) })
  t.after(() => publisher.close())
  const metrics = createMetricsRegistry({ defaultMetrics: false })
  const app = await buildIngestApp({ publisher, keys: testApiKeys(), metrics })
  t.after(() => app.close())
  return { app, serde, metrics }
}

test('a valid event is answered 202 with the coordinates of the record Kafka stored', async (t) => {
  const { app, serde, metrics } = await gateway(t)
  const posted = sensorJson({ occurredAt: 1_764_238_680_250, location: 'plant-2/line-4' })
  const response = await app.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers: { ...headers, traceparent },
    payload: posted,
  })
  assert.equal(response.statusCode, 202, response.body)
  const ack = response.json() as { eventId: string; topic: string; partition: number; offset: string }
  assert.equal(ack.eventId, posted['eventId'])
  assert.equal(ack.topic, 'sensor-readings')

  const record = await readAt(t, ack.topic, ack.partition, ack.offset)
  const event = await serde.decode('SensorReading', record.value)
  assert.equal(event.eventId, posted['eventId'])
  assert.deepEqual(event.occurredAt, new Date(1_764_238_680_250))
  assert.equal(event.location, 'plant-2/line-4')
  assert.equal(record.key, 'sensor-temp-0815')
  assert.equal(record.headers['traceparent'], traceparent)
  assert.equal(record.headers['eb-event-type'], 'SensorReading')

  const text = await metrics.metrics()
  assert.match(text, /eb_ingest_requests_total\{event_type="SensorReading",status="202"\} 1/)
  assert.match(
    text,
    /eb_ingest_publish_duration_seconds_count\{event_type="SensorReading",outcome="published"\} 1/,
  )
})

test('a valid batch is answered 202 with each event’s own coordinates, in request order', async (t) => {
  const { app, serde } = await gateway(t)
  const items = [
    sensorJson({ sensorId: 'batch-a' }),
    sensorJson({ sensorId: 'batch-b' }),
    sensorJson({ sensorId: 'batch-c' }),
  ]
  const response = await app.inject({
    method: 'POST',
    url: '/v1/events/SensorReading/batch',
    headers,
    payload: items,
  })
  assert.equal(response.statusCode, 202, response.body)
  const { results } = response.json() as {
    results: Array<{
      index: number
      status: number
      eventId: string
      topic: string
      partition: number
      offset: string
    }>
  }
  assert.deepEqual(
    results.map((result) => [result.index, result.status, result.eventId]),
    items.map((item, index) => [index, 202, item['eventId']]),
  )
  const last = results[2]!
  const record = await readAt(t, last.topic, last.partition, last.offset)
  const event = await serde.decode('SensorReading', record.value)
  assert.equal(event.eventId, items[2]!['eventId'])
  assert.equal(event.sensorId, 'batch-c')
})

test('the OpenAPI document describes every catalog event type with its schema', async (t) => {
  const { app } = await gateway(t)
  const response = await app.inject('/openapi.json')
  assert.equal(response.statusCode, 200)
  const doc = response.json() as {
    openapi: string
    paths: Record<string, unknown>
    components: { schemas: Record<string, { required: string[]; additionalProperties: boolean }> }
  }
  assert.equal(doc.openapi, '3.1.0')
  assert.ok(doc.paths['/v1/events/PaymentConfirmed'])
  assert.ok(doc.paths['/v1/events/PaymentConfirmed/batch'])
  const payment = doc.components.schemas['PaymentConfirmed']!
  assert.ok(payment.required.includes('amountMinor'))
  assert.ok(!payment.required.includes('description'), 'a field with a default may be omitted')
  assert.equal(payment.additionalProperties, false)
})
