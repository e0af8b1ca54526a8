// Proves the gateway publishes PaymentRefunded to the payments topic under its own TopicRecordNameStrategy subject, keyed by payer like PaymentConfirmed, with API keys scoped per event type rather than per topic.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { catalogEntries, catalogEntry } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { catalogEncoder, catalogTopicSpecs } from '#libs/events'
import { buildIngestApp, hashApiKey, parseApiKeys } from '#libs/ingest'
import { ensureTopics } from '#libs/kafka'
import { createMetricsRegistry } from '#libs/observability'
import { createPublisher } from '#libs/publisher'
import { readAt } from '../../helpers/ingest.ts'
import { testAdmin, testKafka } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'

const refundsKey = 'test-key-refunds-only'

async function gateway(t: import('node:test').TestContext) {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const serde = new EventSerde(new ConfluentRegistryClient(sharedRegistryUrl()))
  const publisher = createPublisher({ kafka, encoder: catalogEncoder(serde) })
  t.after(() => publisher.close())
  const keys = parseApiKeys(
    `refunds:${hashApiKey(refundsKey)}:PaymentRefunded`,
    catalogEntries().map(([type]) => type),
  )
  const app = await buildIngestApp({
    publisher,
    keys,
    metrics: createMetricsRegistry({ defaultMetrics: false }),
  })
  t.after(() => app.close())
  return { app, serde }
}

function refundJson(): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    occurredAt: 1_764_320_400_000,
    source: 'payments-gateway',
    refundId: randomUUID(),
    paymentId: randomUUID(),
    payerAccountId: 'acct-payer-refunds',
    amountMinor: 12_999,
    currency: 'EUR',
    reason: 'Order cancelled',
  }
}

const headers = { 'content-type': 'application/json', authorization: `Bearer ${refundsKey}` }

test('a PaymentRefunded posted to the gateway is stored on payments, keyed by payer, under its own subject', async (t) => {
  const { app, serde } = await gateway(t)
  const posted = refundJson()
  const response = await app.inject({
    method: 'POST',
    url: '/v1/events/PaymentRefunded',
    headers,
    payload: posted,
  })
  assert.equal(response.statusCode, 202, response.body)
  const ack = response.json() as { topic: string; partition: number; offset: string }
  assert.equal(ack.topic, 'payments')

  const record = await readAt(t, ack.topic, ack.partition, ack.offset)
  assert.equal(record.key, 'acct-payer-refunds')
  assert.equal(record.headers['eb-event-type'], 'PaymentRefunded')
  const decoded = await serde.decodeForTopic('payments', record.value)
  assert.equal(decoded.type, 'PaymentRefunded')
  assert.equal(decoded.type === 'PaymentRefunded' && decoded.value.refundId, posted['refundId'])

  const subject = catalogEntry('PaymentRefunded').subject
  assert.equal(subject, 'payments-dev.eventbackbone.events.PaymentRefunded')
  const latest = await fetch(`${sharedRegistryUrl()}/subjects/${subject}/versions/latest`)
  assert.equal(latest.status, 200)
  assert.equal(((await latest.json()) as { id: number }).id, record.value.readUInt32BE(1))
})

test('a key scoped to PaymentRefunded may not publish PaymentConfirmed on the same topic', async (t) => {
  const { app } = await gateway(t)
  const response = await app.inject({
    method: 'POST',
    url: '/v1/events/PaymentConfirmed',
    headers,
    payload: { eventId: randomUUID() },
  })
  assert.equal(response.statusCode, 403, response.body)
})

test('the OpenAPI document describes publishing PaymentRefunded to payments', async (t) => {
  const { app } = await gateway(t)
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, { post: { summary: string } }>
    components: { schemas: Record<string, { required: string[] }> }
  }
  assert.match(doc.paths['/v1/events/PaymentRefunded']?.post.summary ?? '', /topic payments/)
  assert.ok(doc.paths['/v1/events/PaymentRefunded/batch'])
  assert.ok(doc.components.schemas['PaymentRefunded']?.required.includes('refundId'))
})
