// Proves that both real registry clients (@kafkajs/confluent-schema-registry and @confluentinc/schemaregistry) work against the embedded registry, wire-compatibly.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  AvroDeserializer,
  AvroSerializer,
  RestError,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry'
import {
  COMPATIBILITY,
  SchemaRegistry as KafkajsRegistry,
  SchemaType,
} from '@kafkajs/confluent-schema-registry'
import { type SchemaRegistry, startSchemaRegistry } from '#libs/schema-registry'
import { testBrokers, testKafka, uniqueName } from '../../helpers/kafka.ts'

const topic = uniqueName('_schemas')
let registry: SchemaRegistry
let kafkajsClient: KafkajsRegistry
let confluentClient: SchemaRegistryClient

before(async () => {
  registry = await startSchemaRegistry({ brokers: testBrokers(), port: 0, topic })
  kafkajsClient = new KafkajsRegistry({ host: registry.url })
  confluentClient = new SchemaRegistryClient({ baseURLs: [registry.url], maxRetries: 0 })
})
after(async () => {
  await confluentClient?.close()
  await registry?.close()
  const admin = testKafka().admin()
  await admin.connect()
  await admin.deleteTopics({ topics: [topic] }).catch(() => {})
  await admin.disconnect()
})

const payment = (namespace: string) => ({
  type: 'record',
  name: 'Payment',
  namespace,
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'long' },
  ],
})
const paymentV2 = (namespace: string) => ({
  ...payment(namespace),
  fields: [...payment(namespace).fields, { name: 'currency', type: 'string', default: 'EUR' }],
})

test('the kafkajs client registers with its compatibility option and reads the ids back', async () => {
  const subject = uniqueName('kjs-value')
  const ns = `t${uniqueName('ns').replace(/-/g, '')}`
  const schema = { type: SchemaType.AVRO, schema: JSON.stringify(payment(ns)) } as const
  const { id } = await kafkajsClient.register(schema, { subject, compatibility: COMPATIBILITY.FULL })
  assert.ok(id > 0)
  assert.equal((await kafkajsClient.register(schema, { subject, compatibility: COMPATIBILITY.FULL })).id, id)
  assert.equal(await kafkajsClient.getLatestSchemaId(subject), id)
  assert.equal(await kafkajsClient.getRegistryId(subject, 1), id)
  assert.equal(await kafkajsClient.getRegistryIdBySchema(subject, schema), id)
  assert.equal((await confluentClient.getCompatibility(subject)).toString(), 'FULL')
})

test('the kafkajs client refuses a subject whose level differs from its compatibility option', async () => {
  const subject = uniqueName('kjs-level')
  const ns = `t${uniqueName('ns').replace(/-/g, '')}`
  const schema = { type: SchemaType.AVRO, schema: JSON.stringify(payment(ns)) } as const
  await kafkajsClient.register(schema, { subject, compatibility: COMPATIBILITY.NONE })
  await assert.rejects(
    kafkajsClient.register(schema, { subject, compatibility: COMPATIBILITY.BACKWARD }),
    /Compatibility does not match/,
  )
})

test('the kafkajs client encodes and decodes in the Confluent wire format', async () => {
  const subject = uniqueName('kjs-wire')
  const ns = `t${uniqueName('ns').replace(/-/g, '')}`
  const { id } = await kafkajsClient.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(payment(ns)) } as const,
    { subject },
  )
  const encoded = await kafkajsClient.encode(id, { id: 'p-1', amount: 1250 })
  assert.equal(encoded[0], 0)
  assert.equal(encoded.readUInt32BE(1), id)
  assert.deepEqual({ ...(await kafkajsClient.decode(encoded)) }, { id: 'p-1', amount: 1250 })
})

test('the kafkajs client gets a 409 for an incompatible evolution', async () => {
  const subject = uniqueName('kjs-incompatible')
  const ns = `t${uniqueName('ns').replace(/-/g, '')}`
  await kafkajsClient.register({ type: SchemaType.AVRO, schema: JSON.stringify(payment(ns)) } as const, {
    subject,
  })
  const broken = { ...payment(ns), fields: [{ name: 'id', type: 'int' }] }
  await assert.rejects(
    kafkajsClient.register({ type: SchemaType.AVRO, schema: JSON.stringify(broken) } as const, { subject }),
    (error: { status?: number }) => error.status === 409,
  )
})

test("Confluent's client registers, looks up, lists and deletes", async () => {
  const subject = uniqueName('cf-value')
  const ns = `t${uniqueName('ns').replace(/-/g, '')}`
  const v1 = { schemaType: 'AVRO', schema: JSON.stringify(payment(ns)) }
  const v2 = { schemaType: 'AVRO', schema: JSON.stringify(paymentV2(ns)) }
  const id1 = await confluentClient.register(subject, v1, false)
  const id2 = await confluentClient.register(subject, v2, true)
  assert.notEqual(id1, id2)
  assert.equal(await confluentClient.getId(subject, v1), id1)
  assert.equal(await confluentClient.getVersion(subject, v2, true), 2)
  assert.deepEqual(await confluentClient.getAllVersions(subject), [1, 2])
  assert.ok((await confluentClient.getAllSubjects()).includes(subject))
  const latest = await confluentClient.getLatestSchemaMetadata(subject)
  assert.equal(latest.id, id2)
  assert.equal(latest.version, 2)
  const byId = await confluentClient.getBySubjectAndId(subject, id1)
  assert.equal(byId.schema, JSON.stringify(payment(ns)))
  assert.equal((await confluentClient.getSchemaMetadata(subject, 1)).id, id1)
  assert.equal(await confluentClient.testSubjectCompatibility(subject, v1), true)
  assert.equal(await confluentClient.testCompatibility(subject, 1, v2), true)
  assert.equal(await confluentClient.deleteSubjectVersion(subject, 2, false), 2)
  assert.equal((await confluentClient.getSchemaMetadata(subject, 2, true)).id, id2)
  assert.deepEqual(await confluentClient.deleteSubject(subject, false), [1])
  assert.deepEqual(await confluentClient.deleteSubject(subject, true), [1, 2])
  await assert.rejects(confluentClient.getAllVersions(subject), (error) => {
    assert.ok(error instanceof RestError)
    assert.equal(error.status, 404)
    assert.equal(error.errorCode, 40401)
    return true
  })
})

test("Confluent's client reads and writes global and subject compatibility", async () => {
  const subject = uniqueName('cf-config')
  await assert.rejects(confluentClient.getCompatibility(subject), (error) => {
    assert.ok(error instanceof RestError)
    assert.equal(error.errorCode, 40408)
    return true
  })
  assert.equal(
    await confluentClient.updateCompatibility(subject, 'FORWARD_TRANSITIVE' as never),
    'FORWARD_TRANSITIVE',
  )
  assert.equal(await confluentClient.getCompatibility(subject), 'FORWARD_TRANSITIVE')
  const config = await confluentClient.updateConfig(subject, {
    compatibility: 'NONE' as never,
    normalize: true,
  })
  assert.equal(config.compatibility, 'NONE')
  assert.equal((await confluentClient.getConfig(subject)).compatibilityLevel, 'NONE')
  assert.equal(await confluentClient.getDefaultCompatibility(), 'BACKWARD')
})

test("Confluent's serializer and the kafkajs client read each other's records", async () => {
  const topicName = uniqueName('payments')
  const ns = `t${uniqueName('ns').replace(/-/g, '')}`
  const schema = JSON.stringify(payment(ns))
  const serializer = new AvroSerializer(confluentClient, SerdeType.VALUE, { autoRegisterSchemas: true })
  const deserializer = new AvroDeserializer(confluentClient, SerdeType.VALUE, {})
  const value = { id: 'p-7', amount: 990 }

  const bytes = await serializer.serialize(topicName, value, { schemaType: 'AVRO', schema })
  assert.equal(bytes[0], 0)
  const id = bytes.readUInt32BE(1)
  assert.equal(await kafkajsClient.getLatestSchemaId(`${topicName}-value`), id)
  assert.deepEqual({ ...(await kafkajsClient.decode(bytes)) }, { id: 'p-7', amount: 990 })

  const fromKafkajs = await kafkajsClient.encode(id, { id: 'p-8', amount: 5 })
  const decoded = (await deserializer.deserialize(topicName, fromKafkajs)) as { id: string; amount: unknown }
  assert.equal(decoded.id, 'p-8')
  assert.equal(Number(decoded.amount), 5)
})

test("Confluent's serializer with useLatestVersion uses the registered latest schema", async () => {
  const topicName = uniqueName('latest')
  const ns = `t${uniqueName('ns').replace(/-/g, '')}`
  await kafkajsClient.register({ type: SchemaType.AVRO, schema: JSON.stringify(paymentV2(ns)) } as const, {
    subject: `${topicName}-value`,
  })
  const serializer = new AvroSerializer(confluentClient, SerdeType.VALUE, {
    useLatestVersion: true,
    autoRegisterSchemas: false,
  })
  const bytes = await serializer.serialize(topicName, { id: 'p-9', amount: 1, currency: 'USD' })
  assert.deepEqual({ ...(await kafkajsClient.decode(bytes)) }, { id: 'p-9', amount: 1, currency: 'USD' })
  const deserializer = new AvroDeserializer(confluentClient, SerdeType.VALUE, {})
  const decoded = (await deserializer.deserialize(topicName, bytes)) as Record<string, unknown>
  assert.equal(decoded['currency'], 'USD')
})
