// Proves the registry's state lives in its compacted topic, in the Confluent/Karapace layout: a new instance on the same topic serves the same ids and versions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startSchemaRegistry } from '#libs/schema-registry'
import { testAdmin, testBrokers, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import { avroNamespace, recordSchema } from '../../helpers/registry-file.ts'

async function readTopic(
  topic: string,
  count: number,
): Promise<Array<{ key: string; value: string | null }>> {
  const consumer = testKafka().consumer({ groupId: uniqueName('schemas-reader'), maxWaitTimeInMs: 100 })
  await consumer.connect()
  const records: Array<{ key: string; value: string | null }> = []
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ message }) => {
        records.push({
          key: String(message.key),
          value: message.value === null ? null : String(message.value),
        })
      },
    })
    await waitFor(() => records.length >= count, { description: `${count} storage records` })
  } finally {
    await consumer.disconnect()
  }
  return records
}

test('a new instance on the same topic serves every id, version, deletion and config of the previous one', async (t) => {
  const topic = uniqueName('_schemas')
  const admin = await testAdmin(t)
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const ns = avroNamespace()
  const first = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => first.close())

  const snapshot = async (registry: { url: string }) => ({
    subjects: (await call(registry, 'GET', '/subjects?deleted=true')).body,
    a: (await call(registry, 'GET', '/subjects/a/versions?deleted=true')).body,
    aLatest: (await call(registry, 'GET', '/subjects/a/versions/latest')).body,
    b1: (await call(registry, 'GET', '/subjects/b/versions/1?deleted=true')).body,
    id1: (await call(registry, 'GET', '/schemas/ids/1')).body,
    id2: (await call(registry, 'GET', '/schemas/ids/2/versions?deleted=true')).body,
    config: (await call(registry, 'GET', '/config/a')).body,
    mode: (await call(registry, 'GET', '/mode/b')).body,
  })

  const v1 = recordSchema('R', [{ name: 'x', type: 'int' }], ns)
  const v2 = recordSchema(
    'R',
    [
      { name: 'x', type: 'int' },
      { name: 'y', type: 'string', default: '' },
    ],
    ns,
  )
  assert.equal(
    ((await call(first, 'POST', '/subjects/a/versions', { schema: v1 })).body as { id: number }).id,
    1,
  )
  assert.equal(
    ((await call(first, 'POST', '/subjects/a/versions', { schema: v2 })).body as { id: number }).id,
    2,
  )
  assert.equal(
    ((await call(first, 'POST', '/subjects/b/versions', { schema: v2 })).body as { id: number }).id,
    2,
  )
  assert.equal((await call(first, 'PUT', '/config/a', { compatibility: 'FULL' })).status, 200)
  assert.equal((await call(first, 'DELETE', '/subjects/b/versions/1')).status, 200)
  assert.equal((await call(first, 'PUT', '/mode/b', { mode: 'READONLY' })).status, 200)
  const before = await snapshot(first)
  await first.close()

  const second = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => second.close())
  assert.deepEqual(await snapshot(second), before)
  const third = await call(second, 'POST', '/subjects/c/versions', { schema: recordSchema('C', [], ns) })
  assert.equal((third.body as { id: number }).id, 3)

  const records = await readTopic(topic, 7)
  assert.deepEqual(
    records.slice(0, 7).map((r) => r.key),
    [
      '{"keytype":"SCHEMA","subject":"a","version":1,"magic":1}',
      '{"keytype":"SCHEMA","subject":"a","version":2,"magic":1}',
      '{"keytype":"SCHEMA","subject":"b","version":1,"magic":1}',
      '{"keytype":"CONFIG","subject":"a","magic":0}',
      '{"keytype":"SCHEMA","subject":"b","version":1,"magic":1}',
      '{"keytype":"MODE","subject":"b","magic":0}',
      '{"keytype":"SCHEMA","subject":"c","version":1,"magic":1}',
    ],
  )
  assert.equal(
    records[0]?.value,
    JSON.stringify({ subject: 'a', version: 1, id: 1, schema: v1, deleted: false }),
  )
  assert.equal(records[3]?.value, '{"compatibilityLevel":"FULL"}')
  assert.equal(
    records[4]?.value,
    JSON.stringify({ subject: 'b', version: 1, id: 2, schema: v2, deleted: true }),
  )
  assert.equal(records[5]?.value, '{"mode":"READONLY"}')

  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
  })
  assert.equal(configs.resources[0]?.configEntries[0]?.configValue, 'compact')
})

test('a permanent delete writes tombstones and survives a restart', async (t) => {
  const topic = uniqueName('_schemas')
  const admin = await testAdmin(t)
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const first = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => first.close())
  const schema = recordSchema('Gone', [], avroNamespace())
  await call(first, 'POST', '/subjects/gone/versions', { schema })
  await call(first, 'DELETE', '/subjects/gone')
  await call(first, 'DELETE', '/subjects/gone?permanent=true')
  await first.close()

  const records = await readTopic(topic, 3)
  assert.equal(records[2]?.value, null)
  const second = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  t.after(() => second.close())
  assert.equal((await call(second, 'GET', '/subjects/gone/versions?deleted=true')).status, 404)
  assert.deepEqual((await call(second, 'GET', '/subjects?deleted=true')).body, [])
})
