// The service's LedgerPosting handling against a real Kafka and schema registry from
// @event-backbone/testing: a posting whose handling fails twice is retried and handled once, and
// a record that is not a LedgerPosting goes to the group's dead-letter topic while the group goes on.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import {
  backboneFromEnv,
  catalogEncoder,
  catalogTopicSpecs,
  createPublisher,
  ensureTopics,
  Header,
} from '@event-backbone/client'
import { provideKafka, type SchemaRegistry, startSchemaRegistry } from '@event-backbone/testing'
import { type LedgerPosting, type PaymentsService, startPaymentsService } from '../src/payments.ts'

const handled: LedgerPosting[] = []
const failuresLeft = new Map<string, number>()
let service: PaymentsService
let connection: ReturnType<typeof backboneFromEnv>
let stops: Array<() => Promise<void>> = []

// Uses KAFKA_BROKERS and SCHEMA_REGISTRY_URL when set (CI, a shared cluster); otherwise starts a
// broker from the pinned Apache Kafka jars and a registry on it, and stops them afterwards.
before(async () => {
  const kafka = await provideKafka()
  stops.push(kafka.stop)
  let registryUrl = process.env['SCHEMA_REGISTRY_URL']
  if (!registryUrl) {
    const registry: SchemaRegistry = await startSchemaRegistry({ brokers: kafka.brokers, port: 0 })
    stops.unshift(() => registry.close())
    registryUrl = registry.url
  }
  connection = backboneFromEnv({ KAFKA_BROKERS: kafka.brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl })
  const admin = connection.kafka.admin()
  await admin.connect()
  await ensureTopics(admin, catalogTopicSpecs())
  await admin.disconnect()
  service = await startPaymentsService({
    connection,
    groupId: `payments-service-test-${randomUUID()}`,
    onPosting: (posting) => {
      const left = failuresLeft.get(posting.postingId) ?? 0
      if (left > 0) {
        failuresLeft.set(posting.postingId, left - 1)
        throw new Error('the bookkeeping store is briefly unavailable')
      }
      handled.push(posting)
    },
  })
  stops.unshift(() => service.stop())
})

after(async () => {
  for (const stop of stops) await stop()
  stops = []
})

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function posting(): LedgerPosting {
  const paymentId = randomUUID()
  return {
    eventId: randomUUID(),
    occurredAt: new Date(),
    source: 'payments-ledger',
    postingId: randomUUID(),
    paymentId,
    sourceEventId: randomUUID(),
    lines: [
      { accountId: 'acct-payer-1', direction: 'DEBIT', amountMinor: 500, currency: 'EUR' },
      { accountId: 'acct-merchant-1', direction: 'CREDIT', amountMinor: 500, currency: 'EUR' },
    ],
    memo: null,
  }
}

test('a posting whose handling fails twice is retried in process and handled once', async () => {
  const publisher = createPublisher({ kafka: connection.kafka, encoder: catalogEncoder(connection.serde) })
  const sent = posting()
  failuresLeft.set(sent.postingId, 2)
  await publisher.publish('LedgerPosting', sent)
  await publisher.close()
  const received = await until('the posting', () => handled.find((p) => p.postingId === sent.postingId))
  assert.equal(received.paymentId, sent.paymentId)
  assert.deepEqual(
    received.lines.map((line) => ({ ...line })),
    sent.lines,
  )
  assert.equal(failuresLeft.get(sent.postingId), 0, 'both failures were retried')
  assert.equal(handled.filter((p) => p.postingId === sent.postingId).length, 1)
})

test('a record that is not a LedgerPosting goes to the dead-letter topic and the group goes on', async () => {
  const key = `poison-${randomUUID()}`
  const producer = connection.kafka.producer()
  await producer.connect()
  await producer.send({ topic: 'ledger', messages: [{ key, value: Buffer.from('not avro at all') }] })
  await producer.disconnect()

  const consumer = connection.kafka.consumer({ groupId: `dlt-reader-${randomUUID()}` })
  await consumer.connect()
  await consumer.subscribe({ topic: service.deadLetterTopic, fromBeginning: true })
  let deadLettered: Record<string, string> | undefined
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key?.toString() !== key) return
      const headers = Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])
      deadLettered = { ...Object.fromEntries(headers), value: message.value?.toString() ?? '' }
    },
  })
  const record = await until('the dead-letter record', () => deadLettered)
  await consumer.disconnect()
  assert.equal(record['value'], 'not avro at all', 'the original bytes, unchanged')
  assert.equal(record[Header.originalTopic], 'ledger')
  assert.equal(record[Header.stage], 'deserialize')

  // The group went on: a good posting after the poison record is handled.
  const publisher = createPublisher({ kafka: connection.kafka, encoder: catalogEncoder(connection.serde) })
  const next = posting()
  await publisher.publish('LedgerPosting', next)
  await publisher.close()
  await until('the posting after the poison record', () =>
    handled.find((p) => p.postingId === next.postingId),
  )
})
