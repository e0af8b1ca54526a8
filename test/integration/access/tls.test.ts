// On a broker whose client listener is SASL_SSL, the backbone's clients configured from the environment (KAFKA_TLS, KAFKA_TLS_CA_FILE) publish and consume over TLS, and a client that does not trust the broker's certificate is refused.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Admin, Kafka, logLevel } from 'kafkajs'
import { accessManifest, applyAcls, managedPrincipals, planAcls } from '#libs/access'
import { kafkaConfigFromEnv, waitForTopics } from '#libs/kafka'
import { createPublisher } from '#libs/publisher'
import { collect } from '../../helpers/consumer.ts'
import { waitFor } from '../../helpers/kafka.ts'
import { rejectionOf, type SecuredKafka, startSecuredKafka } from '../../helpers/secured-kafka.ts'

let secured: SecuredKafka
let admin: Admin

before(async () => {
  secured = await startSecuredKafka(['ingest-gateway'], { tls: true })
  admin = secured.kafka('admin').admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 'payments' }], waitForLeaders: false })
  await waitForTopics(admin, ['payments'])
  await applyAcls(admin, planAcls(accessManifest), managedPrincipals(accessManifest))
})

after(async () => {
  await admin?.disconnect()
  await secured?.broker.stop()
})

test('the publisher, configured from the environment with the broker CA, publishes over SASL_SSL', async (t) => {
  const env = secured.env('ingest-gateway')
  assert.equal(env['KAFKA_TLS'], 'true')
  const publisher = createPublisher<{ PaymentConfirmed: { id: string } }>({
    kafka: secured.kafka('ingest-gateway'),
    encoder: {
      async encode(_eventType, event) {
        return { topic: 'payments', key: event.id, value: Buffer.from(JSON.stringify(event)) }
      },
    },
  })
  t.after(() => publisher.close())
  await publisher.publish('PaymentConfirmed', { id: 'p-1' })
  const seen = await collect(t, secured.kafka('admin'), ['payments'])
  await waitFor(() => seen.length === 1, { description: 'the published record read back over TLS' })
  assert.equal(String(seen[0]?.message.value), '{"id":"p-1"}')
})

test('a client that does not trust the broker certificate is refused by certificate verification', async (t) => {
  // TLS on, but no CA file: the system's CAs do not know the broker's self-signed certificate.
  const { KAFKA_TLS_CA_FILE: _ca, ...withoutCa } = secured.env('ingest-gateway')
  const kafka = new Kafka(
    kafkaConfigFromEnv(withoutCa, {
      retry: { retries: 0 },
      connectionTimeout: 3_000,
      logLevel: logLevel.NOTHING,
    }),
  )
  const producer = kafka.producer()
  t.after(() => producer.disconnect())
  const error = (await rejectionOf(producer.connect())) as Error
  assert.match(String(error.message), /self[- ]signed certificate|unable to verify|certificate/i)
})
