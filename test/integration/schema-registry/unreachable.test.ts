// Proves a registry fails fast and clearly without a usable Kafka store: it refuses to start (unreachable Kafka, wrong topic), and a running one answers 5xxxx errors instead of hanging.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { RegistryStoreTopicError, RegistryStoreUnavailableError } from '@event-backbone/errors'
import { startSchemaRegistry } from '#libs/schema-registry'
import { testAdmin, testBrokers, uniqueName } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return typeof address === 'object' && address ? address.port : 1
}

test('a registry whose Kafka is unreachable fails to start with a store-unavailable error', async () => {
  const port = await closedPort()
  await assert.rejects(
    startSchemaRegistry({
      brokers: [`127.0.0.1:${port}`],
      port: 0,
      topic: uniqueName('_schemas'),
      startTimeoutMs: 2_000,
    }),
    (error) => {
      assert.ok(error instanceof RegistryStoreUnavailableError)
      assert.equal(error.code, 'EB_REGISTRY_STORE_UNAVAILABLE')
      assert.equal(error.retriable, true)
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`))
      return true
    },
  )
})

test('a running registry whose storage topic disappeared answers a 5xxxx error body, not a hang', async (t) => {
  const topic = uniqueName('_schemas')
  const registry = await startSchemaRegistry({
    brokers: testBrokers(),
    port: 0,
    topic,
    writeTimeoutMs: 3_000,
  })
  t.after(() => registry.close())
  const schema = JSON.stringify({ type: 'record', name: 'Lost', fields: [] })
  assert.equal((await call(registry, 'POST', '/subjects/lost/versions', { schema })).status, 200)
  const admin = await testAdmin(t)
  await admin.deleteTopics({ topics: [topic] })

  const response = await fetch(`${registry.url}/subjects/other/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Other', fields: [] }) }),
    signal: AbortSignal.timeout(30_000),
  })
  assert.equal(response.status, 500)
  const body = (await response.json()) as { error_code: number; message: string }
  assert.ok([50001, 50002, 50003].includes(body.error_code), JSON.stringify(body))
  assert.ok(body.message.length > 0)
  // Reads, and re-registrations of known schemas, keep being served from memory.
  assert.equal((await call(registry, 'GET', '/schemas/ids/1')).status, 200)
  const again = await call(registry, 'POST', '/subjects/lost/versions', { schema })
  assert.equal((again.body as { id: number }).id, 1)
})

test('a storage topic with several partitions or without compaction is refused at start', async (t) => {
  const partitioned = uniqueName('_schemas')
  const deleting = uniqueName('_schemas')
  const admin = await testAdmin(t)
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: partitioned, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: deleting, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] },
    ],
  })
  t.after(() => admin.deleteTopics({ topics: [partitioned, deleting] }).catch(() => {}))
  for (const topic of [partitioned, deleting]) {
    await assert.rejects(startSchemaRegistry({ brokers: testBrokers(), port: 0, topic }), (error) => {
      assert.ok(error instanceof RegistryStoreTopicError)
      assert.equal(error.retriable, false)
      return true
    })
  }
})
