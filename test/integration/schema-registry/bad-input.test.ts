// Proves that input the specifications reject is refused with Confluent's error codes and never written, that oversized bodies are refused before any work, and that no input yields a 5xx while Kafka is healthy.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { testKafka } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import {
  assertRegistryError,
  avroNamespace,
  recordSchema,
  registryForFile,
  subjectName,
} from '../../helpers/registry-file.ts'

const registry = registryForFile()

/** The storage topic's end offset: unchanged means nothing was written. */
async function topicEnd(): Promise<string> {
  const admin = testKafka().admin()
  await admin.connect()
  try {
    const [partition] = await admin.fetchTopicOffsets(registry().topic)
    return partition?.high ?? '0'
  } finally {
    await admin.disconnect()
  }
}

test('named types without a name and other schemas the Avro specification rejects get 422 / 42201, nothing written', async () => {
  const subject = subjectName()
  const before = await topicEnd()
  const invalid = [
    { type: 'record', fields: [{ name: 'a', type: 'int' }] },
    { type: 'enum', symbols: ['A'] },
    { type: 'fixed', size: 4 },
    { type: 'record', name: 'R', fields: [{ name: 'inner', type: { type: 'record', fields: [] } }] },
    { type: 'record', name: 'R', fields: [{ name: 'a' }] },
    { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int', default: 'x' }] },
    { type: 'record', name: 'a-b', fields: [] },
    { type: 'enum', name: 'E', symbols: ['A', 'A'] },
    ['int', 'int'],
    { type: 'map' },
  ]
  for (const schema of invalid) {
    const response = await call(registry(), 'POST', `/subjects/${subject}/versions`, {
      schema: JSON.stringify(schema),
    })
    assertRegistryError(response, 422, 42201)
  }
  assertRegistryError(await call(registry(), 'GET', `/subjects/${subject}/versions`), 404, 40401)
  assert.equal(await topicEnd(), before)
})

test('a body over the 1 MiB limit is answered 413 before any work', async () => {
  const subject = subjectName()
  const before = await topicEnd()
  const huge = recordSchema(
    'Big',
    [{ name: 'a', type: 'string', doc: 'x'.repeat(2 * 1024 * 1024) }],
    avroNamespace(),
  )
  const response = await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema: huge })
  assertRegistryError(response, 413, 413)
  assertRegistryError(await call(registry(), 'GET', `/subjects/${subject}/versions`), 404, 40401)
  assert.equal(await topicEnd(), before)
})

test('a schema too large for the storage topic gets 422 / 42209 and nothing is written', async () => {
  const subject = subjectName()
  const before = await topicEnd()
  // Under the 1 MiB body limit, over the 1,000,000-byte record limit once stored.
  const doc = 'x'.repeat(1_020_000)
  const large = recordSchema('Large', [{ name: 'a', type: 'string', doc }], avroNamespace())
  const response = await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema: large })
  assertRegistryError(response, 422, 42209)
  assertRegistryError(await call(registry(), 'GET', `/subjects/${subject}/versions`), 404, 40401)
  assert.equal(await topicEnd(), before)
})

const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({
    schema: fc.oneof(
      fc.string(),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    ),
    schemaType: fc.oneof(
      fc.constantFrom('AVRO', 'JSON', 'PROTOBUF', 'AVROO', ''),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    references: fc.jsonValue({ maxDepth: 2 }),
    metadata: fc.jsonValue({ maxDepth: 3 }),
    ruleSet: fc.jsonValue({ maxDepth: 3 }),
  }),
)

test('no body sent to the registering, checking and config endpoints yields a 5xx', async () => {
  const subject = subjectName()
  const paths: Array<[string, string]> = [
    ['POST', `/subjects/${subject}/versions`],
    ['POST', `/subjects/${subject}`],
    ['POST', `/compatibility/subjects/${subject}/versions/latest`],
    ['PUT', `/config/${subject}`],
    ['PUT', `/mode/${subject}-mode`],
  ]
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...paths), jsonValue, async ([method, path], body) => {
      const response = await call(registry(), method, path, JSON.stringify(body))
      assert.ok(
        response.status < 500,
        `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(response.body)}`,
      )
      const answer = response.body as { error_code?: unknown }
      if (response.status >= 400) assert.equal(typeof answer.error_code, 'number')
    }),
    { numRuns: 150 },
  )
})
