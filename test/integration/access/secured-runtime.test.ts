// The backbone's own clients (registry, publisher, exactly-once consumer runtime) work on a SCRAM-secured broker with nothing but their planned ACLs and SCRAM settings from the environment.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { TopicNotFoundError } from '@event-backbone/errors'
import type { Admin } from 'kafkajs'
import { accessManifest, applyAcls, managedPrincipals, planAcls } from '#libs/access'
import { nonRetriable, subscription } from '#libs/consumer'
import { waitForTopics } from '#libs/kafka'
import { createPublisher, type EncodedEvent } from '#libs/publisher'
import { startSchemaRegistry } from '#libs/schema-registry'
import { collect, startGroup } from '../../helpers/consumer.ts'
import { waitFor } from '../../helpers/kafka.ts'
import { type SecuredKafka, startSecuredKafka } from '../../helpers/secured-kafka.ts'

interface Payment {
  eventId: string
  amount: number
}
type Events = { PaymentConfirmed: Payment; LedgerPosting: Payment }

const topics = { PaymentConfirmed: 'payments', LedgerPosting: 'ledger' } as const
const jsonEncoder = {
  async encode(eventType: keyof Events, event: Payment): Promise<EncodedEvent> {
    return { topic: topics[eventType], key: event.eventId, value: Buffer.from(JSON.stringify(event)) }
  },
}

let secured: SecuredKafka
let admin: Admin

before(async () => {
  secured = await startSecuredKafka(['payments-ledger', 'ingest-gateway', 'schema-registry'])
  admin = secured.kafka('admin').admin()
  await admin.connect()
  await admin.createTopics({
    topics: ['payments', 'ledger'].map((topic) => ({ topic, numPartitions: 2 })),
    waitForLeaders: false,
  })
  await waitForTopics(admin, ['payments', 'ledger'])
  await applyAcls(admin, planAcls(accessManifest), managedPrincipals(accessManifest))
})

after(async () => {
  await admin?.disconnect()
  await secured?.broker.stop()
})

test('the schema registry creates its storage topic and registers a schema as its own principal', async (t) => {
  const registry = await startSchemaRegistry({
    brokers: [secured.broker.bootstrap],
    port: 0,
    kafkaConfig: secured.config('schema-registry'),
    // The first write initialises transactions on a broker started for this file; on a loaded CI
    // machine that outlasted the 15 s default bound once (a 500). What is under test is the
    // principal's access, not that bound (schema-registry/unreachable.test.ts tests it).
    writeTimeoutMs: 60_000,
  })
  t.after(() => registry.close())
  const response = await fetch(`${registry.url}/subjects/payments-value/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'P', fields: [] }) }),
  })
  assert.equal(response.status, 200, await response.clone().text())
  assert.equal(typeof ((await response.json()) as { id?: unknown }).id, 'number')
})

test('the gateway publishes payments and payments-ledger turns them into ledger postings exactly once', async (t) => {
  const publisher = createPublisher<Events>({ kafka: secured.kafka('ingest-gateway'), encoder: jsonEncoder })
  t.after(() => publisher.close())
  for (const amount of [10, -1, 30]) {
    await publisher.publish('PaymentConfirmed', { eventId: `p${amount}`, amount })
  }
  const group = await startGroup(t, {
    kafka: secured.kafka('payments-ledger'),
    groupId: 'payments-ledger',
    defaults: { guarantee: 'exactly-once' },
    subscriptions: [
      subscription({
        topic: 'payments',
        decode: { decode: (bytes: Buffer) => JSON.parse(bytes.toString()) as Payment },
        handler: async (payment, ctx) => {
          if (payment.amount < 0) throw nonRetriable(new Error('negative amount'))
          await ctx.emit('ledger', ctx.key, Buffer.from(JSON.stringify(payment)))
        },
      }),
    ],
  })
  const superUser = secured.kafka('admin')
  const ledger = await collect(t, superUser, ['ledger'], { readCommitted: true })
  const dlt = await collect(t, superUser, [group.subscriptions[0]!.deadLetterTopic], { readCommitted: true })
  await waitFor(() => ledger.length === 2 && dlt.length === 1, {
    description: '2 postings and 1 dead letter',
  })
  assert.deepEqual(ledger.map((record) => JSON.parse(String(record.message.value)).amount).sort(), [10, 30])
  assert.equal(group.subscriptions[0]!.deadLetterTopic, 'payments-ledger.payments.dlt')
})

test('the gateway cannot publish a ledger posting: without DESCRIBE the ledger topic is invisible to it', async (t) => {
  const publisher = createPublisher<Events>({ kafka: secured.kafka('ingest-gateway'), encoder: jsonEncoder })
  t.after(() => publisher.close())
  await assert.rejects(
    publisher.publish('LedgerPosting', { eventId: 'forged', amount: 1 }),
    TopicNotFoundError,
  )
})
