// Proves that Confluent's JavaScript client and serdes work with JSON Schema and Protobuf on this registry: registration with references, lookup, and serializer round trips through Kafka.
import assert from 'node:assert/strict'
import { after, type TestContext, test } from 'node:test'
import { create, createFileRegistry, fromBinary } from '@bufbuild/protobuf'
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt'
import {
  JsonDeserializer,
  JsonSerializer,
  ProtobufDeserializer,
  ProtobufSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry'
import protobuf from 'protobufjs'
import descriptor from 'protobufjs/ext/descriptor/index.js'
import { collect, produce } from '../../helpers/consumer.ts'
import { createTestTopics, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import { assertRegistryError, registryForFile, subjectName } from '../../helpers/registry-file.ts'

const registry = registryForFile()
let confluent: SchemaRegistryClient | undefined
const client = () => {
  confluent ??= new SchemaRegistryClient({ baseURLs: [registry().url], maxRetries: 0 })
  return confluent
}
after(() => confluent?.close())

/** Produces the bytes to a fresh topic and returns them as a consumer reads them back. */
async function throughKafka(t: TestContext, topic: string, value: Buffer) {
  const kafka = testKafka()
  await produce(t, kafka, topic, [{ key: 'k', value }])
  const records = await collect(t, kafka, [topic])
  await waitFor(() => records.length === 1, { description: `the record on ${topic}` })
  return records[0]?.message.value ?? Buffer.alloc(0)
}

const address = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { street: { type: 'string' }, city: { type: 'string' } },
  required: ['city'],
}
const customer = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { name: { type: 'string' }, home: { $ref: 'address.json' } },
  required: ['name'],
  additionalProperties: false,
}

test('a JSON Schema with a reference registers, looks up, validates and round-trips through Kafka', async (t) => {
  const topic = uniqueName('json-customers')
  await createTestTopics(t, [{ topic, numPartitions: 1 }])
  const addressSubject = subjectName()
  const addressVersion = await client().registerFullResponse(
    addressSubject,
    { schemaType: 'JSON', schema: JSON.stringify(address) },
    false,
  )
  const references = [{ name: 'address.json', subject: addressSubject, version: addressVersion.version ?? 1 }]
  const info = { schemaType: 'JSON', schema: JSON.stringify(customer), references }
  const id = await client().register(`${topic}-value`, info, false)
  assert.equal(await client().getId(`${topic}-value`, info, false), id)
  const stored = await client().getLatestSchemaMetadata(`${topic}-value`)
  assert.equal(stored.schemaType, 'JSON')
  assert.deepEqual(stored.references, references)

  const serializer = new JsonSerializer(client(), SerdeType.VALUE, {
    useLatestVersion: true,
    autoRegisterSchemas: false,
    validate: true,
  })
  await assert.rejects(serializer.serialize(topic, { name: 'Ada', home: { street: 'Main' } }))
  await assert.rejects(serializer.serialize(topic, { name: 'Ada', extra: 1 }))
  const value = { name: 'Ada', home: { street: 'Main', city: 'Zurich' } }
  const bytes = await serializer.serialize(topic, value)
  assert.equal(bytes.readUInt32BE(1), id)
  const read = await throughKafka(t, topic, bytes)
  const deserializer = new JsonDeserializer(client(), SerdeType.VALUE, { validate: true })
  assert.deepEqual(await deserializer.deserialize(topic, read), value)
})

test('JSON Schemas the meta-schema rejects or whose $ref does not resolve are 42201', async () => {
  const subject = subjectName()
  for (const schema of [
    { type: 'objekt' },
    { type: 'object', properties: { a: { $ref: 'missing.json' } } },
    { type: 'object', required: 'a' },
    [1, 2],
  ]) {
    assertRegistryError(
      await call(registry(), 'POST', `/subjects/${subject}/versions`, {
        schemaType: 'JSON',
        schema: JSON.stringify(schema),
      }),
      422,
      42201,
    )
  }
})

const moneyProto = `syntax = "proto3";
package shop;
message Money { int64 units = 1; string currency = 2; }
`
const orderProto = `syntax = "proto3";
package shop;
import "money.proto";
message Order {
  string id = 1;
  Money total = 2;
  oneof payment { string card = 3; string iban = 4; }
}
`

test('a .proto schema with an import registers as a reference, looks up and checks compatibility', async () => {
  const moneySubject = subjectName()
  const orderSubject = subjectName()
  await client().register(moneySubject, { schemaType: 'PROTOBUF', schema: moneyProto }, false)
  const references = [{ name: 'money.proto', subject: moneySubject, version: 1 }]
  const info = { schemaType: 'PROTOBUF', schema: orderProto, references }
  const id = await client().register(orderSubject, info, false)
  assert.equal(await client().getId(orderSubject, info, false), id)
  const byId = await client().getBySubjectAndId(orderSubject, id)
  assert.equal(byId.schema, orderProto)
  const renumbered = orderProto.replace('Money total = 2', 'string total = 2')
  assert.equal(
    await client().testSubjectCompatibility(orderSubject, {
      schemaType: 'PROTOBUF',
      schema: renumbered,
      references,
    }),
    false,
  )
  assertRegistryError(
    await call(registry(), 'POST', `/subjects/${subjectName()}/versions`, {
      schemaType: 'PROTOBUF',
      schema: orderProto,
    }),
    422,
    42201,
  )
})

/** A message descriptor for Confluent's Protobuf serializer, built from .proto text with protobufjs. */
function orderDescriptor() {
  const root = protobuf.parse(
    `syntax = "proto3";\npackage shop.v1;\nmessage Payment {\n  string id = 1;\n  int64 amount = 2;\n  oneof method { string card = 3; string iban = 4; }\n}\n`,
    { keepCase: true },
  ).root
  const set = (root as unknown as { toDescriptor(syntax: string): protobuf.Message }).toDescriptor('proto3')
  const bytes = descriptor.FileDescriptorSet.encode(set).finish()
  const files = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes))
  const message = files.getMessage('shop.v1.Payment')
  assert.ok(message)
  return message
}

test("Confluent's Protobuf serializer registers its descriptor and the deserializer reads the record through Kafka", async (t) => {
  const topic = uniqueName('proto-payments')
  await createTestTopics(t, [{ topic, numPartitions: 1 }])
  const payment = orderDescriptor()
  const serializer = new ProtobufSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: true })
  serializer.registry.add(payment)
  const value = create(payment, { id: 'p-1', amount: 1250n, method: { case: 'iban', value: 'CH93' } })
  const bytes = await serializer.serialize(topic, value)
  assert.equal(bytes[0], 0)
  const stored = await client().getLatestSchemaMetadata(`${topic}-value`)
  assert.equal(stored.schemaType, 'PROTOBUF')
  const read = await throughKafka(t, topic, bytes)
  const deserializer = new ProtobufDeserializer(client(), SerdeType.VALUE, {})
  const decoded = (await deserializer.deserialize(topic, read)) as Record<string, unknown>
  assert.equal(decoded['id'], 'p-1')
  assert.equal(String(decoded['amount']), '1250')
  assert.deepEqual(decoded['method'], { case: 'iban', value: 'CH93' })
  // The same descriptor registered again is the same schema.
  assert.equal((await serializer.serialize(topic, value)).readUInt32BE(1), bytes.readUInt32BE(1))
})
