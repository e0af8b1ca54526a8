// Proves that the gateway answers 503 with Retry-After, within bounded time, when Kafka or the schema registry cannot be reached, and never claims the event was stored.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { catalogEntries } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { Kafka, logLevel } from 'kafkajs'
import { buildIngestApp } from '#libs/ingest'
import { createPublisher } from '#libs/publisher'
import { endOffsets, keys, renamedTopics, sensorJson, testApiKeys } from '../../helpers/ingest.ts'
import { testKafka, uniqueName } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { createTopics } from '../publisher/helpers.ts'

const headers = { 'content-type': 'application/json', 'x-api-key': keys.all }

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

test('Kafka unreachable: 503 kafka_unavailable with Retry-After, for one event and for a batch', async (t) => {
  const kafka = new Kafka({
    clientId: uniqueName('ingest-down'),
    brokers: [`127.0.0.1:${await closedPort()}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 500,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 },
  })
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  const publisher = createPublisher({
    kafka,
    encoder: renamedTopics(serde, {}),
    retry: { retries: 1, initialRetryTime: 100 },
  })
  t.after(() => publisher.close())
  const app = await buildIngestApp({
    publisher,
    keys: testApiKeys(),
    publishTimeoutMs: 5_000,
    retryAfterSeconds: 7,
  })
  t.after(() => app.close())

  const one = await app.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers,
    payload: sensorJson(),
  })
  assert.equal(one.statusCode, 503, one.body)
  assert.equal(one.headers['retry-after'], '7')
  assert.equal(one.json().error, 'kafka_unavailable')

  const batch = await app.inject({
    method: 'POST',
    url: '/v1/events/SensorReading/batch',
    headers,
    payload: [sensorJson(), sensorJson()],
  })
  assert.equal(batch.statusCode, 503, batch.body)
  assert.equal(batch.headers['retry-after'], '7')
  const body = batch.json() as { error: string; results: Array<{ status: number; error: string }> }
  assert.equal(body.error, 'kafka_unavailable')
  assert.deepEqual(
    body.results.map((result) => [result.status, result.error]),
    [
      [503, 'kafka_unavailable'],
      [503, 'kafka_unavailable'],
    ],
  )
})

test('registry unreachable: 503 registry_unavailable with Retry-After, and nothing is published', async (t) => {
  const topics = Object.fromEntries(
    catalogEntries().map(([, entry]) => [entry.topic, uniqueName(`gw-${entry.topic}`)]),
  )
  const sensors = topics['sensor-readings']!
  await createTopics(t, [{ topic: sensors, numPartitions: 1 }])
  const registry = new ConfluentRegistryClient(`http://127.0.0.1:${await closedPort()}`, {
    retries: 0,
    timeoutMs: 2_000,
  })
  const publisher = createPublisher({
    kafka: testKafka(),
    encoder: renamedTopics(new EventSerde(registry), topics),
  })
  t.after(() => publisher.close())
  const app = await buildIngestApp({ publisher, keys: testApiKeys() })
  t.after(() => app.close())
  const before = await endOffsets(t, [sensors])

  const response = await app.inject({
    method: 'POST',
    url: '/v1/events/SensorReading',
    headers,
    payload: sensorJson(),
  })
  assert.equal(response.statusCode, 503, response.body)
  assert.equal(response.headers['retry-after'], '5')
  assert.equal(response.json().error, 'registry_unavailable')
  assert.deepEqual(await endOffsets(t, [sensors]), before)
})
