// Against a SCRAM-secured broker with the planned ACLs, each principal can do what the manifest grants and the broker refuses the rest with its real authorization errors.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Admin, Kafka } from 'kafkajs'
import { accessManifest, applyAcls, managedPrincipals, planAcls } from '#libs/access'
import { applyReset, planReset } from '#libs/groups'
import { kafkaConfigFromEnv, waitForTopics } from '#libs/kafka'
import { browse } from '../../../services/dlq-console/src/browse/browse.ts'
import { parseBrowseQuery } from '../../../services/dlq-console/src/browse/browse-query.ts'
import { waitFor } from '../../helpers/kafka.ts'
import {
  brokerErrorLog,
  errorTypes,
  rejectionOf,
  type SecuredKafka,
  startSecuredKafka,
} from '../../helpers/secured-kafka.ts'

// The broker belongs to this file, so the manifest's real topic and group names are safe to use.
const topics = ['payments', 'ledger', 'uploads', 'logins', 'payments-ledger.payments.retry.1']
let secured: SecuredKafka
let admin: Admin

before(async () => {
  secured = await startSecuredKafka(['payments-ledger', 'login-monitor', 'dlq-console'])
  admin = secured.kafka('admin').admin()
  await admin.connect()
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: 1 })),
    waitForLeaders: false,
  })
  await waitForTopics(admin, topics)
  await applyAcls(admin, planAcls(accessManifest), managedPrincipals(accessManifest))
})

after(async () => {
  await admin?.disconnect()
  await secured?.broker.stop()
})

async function producer(t: import('node:test').TestContext, kafka: Kafka, transactionalId?: string) {
  const created = kafka.producer(
    transactionalId ? { transactionalId, idempotent: true, maxInFlightRequests: 1 } : { idempotent: true },
  )
  await created.connect()
  t.after(() => created.disconnect())
  return created
}

test('a wrong password is refused with the SASL authentication error', async () => {
  const env = secured.env('payments-ledger', 'not-the-password')
  const client = new Kafka(kafkaConfigFromEnv(env, { retry: { retries: 0 } })).admin()
  const error = await rejectionOf(client.connect())
  await client.disconnect()
  assert.equal((error as Error).name, 'KafkaJSSASLAuthenticationError')
  assert.match((error as Error).message, /invalid credentials with SASL mechanism SCRAM-SHA-512/)
})

test('payments-ledger reads payments in its group and commits a transaction to ledger with its offsets', async (t) => {
  const seed = await producer(t, secured.kafka('admin'))
  await seed.send({ topic: 'payments', messages: [{ key: 'a', value: 'payment-1' }] })
  const kafka = secured.kafka('payments-ledger')
  const consumer = kafka.consumer({ groupId: 'payments-ledger', maxWaitTimeInMs: 100 })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic: 'payments', fromBeginning: true })
  const read = new Promise<string>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => resolve(String(message.value)),
    })
  })
  assert.equal(await read, 'payment-1')

  const transactional = await producer(t, kafka, 'payments-ledger.payments.0')
  const transaction = await transactional.transaction()
  await transaction.send({ topic: 'ledger', messages: [{ key: 'a', value: 'posting-1' }] })
  await transaction.sendOffsets({
    consumerGroupId: 'payments-ledger',
    topics: [{ topic: 'payments', partitions: [{ partition: 0, offset: '1' }] }],
  })
  await transaction.commit()
  // The commit markers are written after EndTxn answers, so the offset becomes visible shortly after.
  await waitFor(
    async () => {
      const [committed] = await admin.fetchOffsets({ groupId: 'payments-ledger', topics: ['payments'] })
      return committed?.partitions[0]?.offset === '1'
    },
    { description: "payments-ledger's committed offset 1 on payments" },
  )
})

test('payments-ledger producing to uploads fails with TOPIC_AUTHORIZATION_FAILED', async (t) => {
  const writer = await producer(t, secured.kafka('payments-ledger'))
  const error = await rejectionOf(writer.send({ topic: 'uploads', messages: [{ value: 'x' }] }))
  assert.deepEqual(errorTypes(error), ['TOPIC_AUTHORIZATION_FAILED'])
})

test('payments-ledger subscribing to logins fails with TOPIC_AUTHORIZATION_FAILED', async (t) => {
  const consumer = secured.kafka('payments-ledger').consumer({ groupId: 'payments-ledger' })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  const error = await rejectionOf(consumer.subscribe({ topic: 'logins', fromBeginning: true }))
  assert.deepEqual(errorTypes(error), ['TOPIC_AUTHORIZATION_FAILED'])
})

test('payments-ledger committing offsets as another group fails with GROUP_AUTHORIZATION_FAILED', async (t) => {
  const transactional = await producer(t, secured.kafka('payments-ledger'), 'payments-ledger.payments.1')
  const transaction = await transactional.transaction()
  const error = await rejectionOf(
    transaction.sendOffsets({
      consumerGroupId: 'login-monitor',
      topics: [{ topic: 'payments', partitions: [{ partition: 0, offset: '0' }] }],
    }),
  )
  await transaction.abort().catch(() => {})
  assert.deepEqual(errorTypes(error), ['GROUP_AUTHORIZATION_FAILED'])
})

test('payments-ledger joining another group is refused by the broker with GROUP_AUTHORIZATION_FAILED', async (t) => {
  const log = brokerErrorLog()
  const consumer = secured.kafka('payments-ledger', log.overrides).consumer({
    groupId: 'login-monitor',
    retry: { retries: 0, restartOnFailure: async () => false },
  })
  await consumer.connect()
  t.after(() => consumer.disconnect())
  await consumer.subscribe({ topic: 'payments', fromBeginning: true })
  const crashed = new Promise<unknown>((resolve) =>
    consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error)),
  )
  const error = await Promise.race([
    crashed,
    consumer.run({ eachMessage: async () => {} }).then(() => crashed),
  ])
  // kafkajs reports "Failed to find group coordinator"; the broker's answer is in its debug log.
  assert.equal((error as Error).name, 'KafkaJSGroupCoordinatorNotFound')
  assert.ok(log.types().includes('GROUP_AUTHORIZATION_FAILED'), `broker errors: ${log.types().join(', ')}`)
})

test('a transactional id outside its prefix is refused with TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async (t) => {
  const log = brokerErrorLog()
  const transactional = await producer(
    t,
    secured.kafka('payments-ledger', log.overrides),
    'login-monitor.logins.0',
  )
  const error = await rejectionOf(transactional.transaction())
  assert.equal((error as Error).name, 'KafkaJSGroupCoordinatorNotFound')
  assert.deepEqual([...new Set(log.types())], ['TRANSACTIONAL_ID_AUTHORIZATION_FAILED'])
})

test("the replayer writes to another group's retry topic, which a service may not", async (t) => {
  const replayer = await producer(t, secured.kafka('dlq-console'))
  const [written] = await replayer.send({
    topic: 'payments-ledger.payments.retry.1',
    messages: [{ key: 'a', value: 'replayed' }],
  })
  assert.equal(written?.errorCode, 0)
  const service = await producer(t, secured.kafka('login-monitor'))
  const error = await rejectionOf(
    service.send({ topic: 'payments-ledger.payments.retry.1', messages: [{ value: 'x' }] }),
  )
  assert.deepEqual(errorTypes(error), ['TOPIC_AUTHORIZATION_FAILED'])
})

test("the console resets a service group's offsets, retry tier included, and no other group's", async (t) => {
  const seed = await producer(t, secured.kafka('admin'))
  await seed.send({
    topic: 'payments',
    messages: [
      { key: 'a', value: 'p-1' },
      { key: 'b', value: 'p-2' },
    ],
  })
  await seed.send({ topic: 'payments-ledger.payments.retry.1', messages: [{ key: 'a', value: 'r-1' }] })
  const console = secured.kafka('dlq-console').admin()
  await console.connect()
  t.after(() => console.disconnect())
  const topics = ['payments', 'payments-ledger.payments.retry.1']
  const plan = await planReset(console, 'payments-ledger', { kind: 'earliest' }, topics)
  assert.deepEqual(
    plan.partitions.map((entry) => [entry.topic, entry.to]),
    [
      ['payments', '0'],
      ['payments-ledger.payments.retry.1', '0'],
    ],
  )
  await applyReset(console, plan)
  const committed = await admin.fetchOffsets({ groupId: 'payments-ledger', topics })
  assert.deepEqual(
    committed.map(({ topic, partitions }) => [topic, partitions[0]?.offset]),
    [
      ['payments', '0'],
      ['payments-ledger.payments.retry.1', '0'],
    ],
  )
  const log = brokerErrorLog()
  const outsider = secured.kafka('dlq-console', { ...log.overrides, retry: { retries: 0 } }).admin()
  await outsider.connect()
  t.after(() => outsider.disconnect())
  await rejectionOf(
    outsider.setOffsets({
      groupId: 'someone-else',
      topic: 'payments',
      partitions: [{ partition: 0, offset: '0' }],
    }),
  )
  assert.ok(log.types().includes('GROUP_AUTHORIZATION_FAILED'), `broker errors: ${log.types().join(', ')}`)
})

test("the console's topic browser reads the dead-letter and source topics its principal may read, and no other", async () => {
  const dlt = 'payments-ledger.payments.dlt'
  await admin.createTopics({ topics: [{ topic: dlt, numPartitions: 1 }], waitForLeaders: true })
  await waitForTopics(admin, [dlt])
  const seed = secured.kafka('admin').producer()
  await seed.connect()
  await seed.send({ topic: dlt, messages: [{ key: 'k', value: 'dead' }] })
  await seed.disconnect()
  const kafka = secured.kafka('dlq-console')
  const consoleAdmin = kafka.admin()
  await consoleAdmin.connect()
  try {
    const read = (topic: string) =>
      browse({ kafka, admin: consoleAdmin, serde: undefined, topic, query: parseBrowseQuery({}) })
    const page = await read(dlt)
    assert.deepEqual(
      page.records.map((record) => record.value.text),
      ['dead'],
    )
    // READ on the services' source topics comes with the group view (libs/access); ledger is no one's source.
    await read('payments')
    await assert.rejects(read('ledger'), (error: Error & { statusCode?: number }) => {
      assert.equal(error.statusCode, 404)
      assert.match(error.message, /may not see it/)
      return true
    })
  } finally {
    await consoleAdmin.disconnect()
  }
})
