// Proves that Confluent's Python client (confluent-kafka, installed from PyPI into a cached virtual environment) uses the data-contract endpoints and round-trips Avro, JSON Schema and Protobuf records through Kafka with this registry.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestTopics, testBrokers, uniqueName } from '../../helpers/kafka.ts'
import { confluentPython, run } from '../../helpers/python.ts'
import { registryForFile } from '../../helpers/registry-file.ts'

const registry = registryForFile()
const script = new URL('../../fixtures/confluent_python_client.py', import.meta.url).pathname

test("Confluent's Python client registers contracts and round-trips all three schema types", async (t) => {
  const python = await confluentPython()
  const prefix = uniqueName('py')
  const topics = ['avro', 'json', 'proto'].map((kind) => `${prefix}-${kind}`)
  await createTestTopics(
    t,
    topics.map((topic) => ({ topic, numPartitions: 1 })),
  )
  const result = await run(
    python,
    [script, registry().url, testBrokers().join(','), prefix, ...topics],
    150_000,
  )
  assert.equal(result.code, 0, `${result.stderr}\n${result.stdout}`)
  const out = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>
  const registered = out['registered'] as Record<string, unknown>
  assert.equal(registered['version'], 1)
  assert.match(String(registered['guid']), /^[0-9a-f-]{36}$/)
  assert.equal(registered['owner'], 'py')
  assert.equal(registered['rule'], 'positive')
  assert.equal(out['lookupVersion'], 1)
  assert.equal(out['latestWithMetadata'], 1)
  assert.equal(out['latestOwner'], 'py')
  assert.equal(typeof out['byGuidSchema'], 'string')
  assert.equal(out['brokenCompatible'], false)
  assert.deepEqual(out['types'], ['JSON', 'PROTOBUF', 'AVRO'])
  assert.deepEqual(out['avro'], { id: 'p-1', amount: 42 })
  assert.deepEqual(out['json'], { name: 'Ada', age: 36 })
  assert.deepEqual(out['protobuf'], { id: 'o-1', amount: 7 })
  assert.equal(out['protobufType'], 'PROTOBUF')
})
