// Proves the serde works with the real registry server and interoperates with Confluent's own serializer.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry'
import { catalogEntry, eventTypes, schemaText } from '@event-backbone/catalog'
import { RegistryUnavailableError, UnknownSchemaIdError } from '@event-backbone/errors'
import { ConfluentRegistryClient, EventSerde, frame } from '@event-backbone/serde'
import { SchemaRegistry as KafkajsRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { freePort } from '#libs/kafka-local'
import { testRegistry } from '../../helpers/registry.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

/** Decoded records are avsc record instances; compare their data. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

test('encodes and decodes one event of every catalog type through the registry', async (t) => {
  const registry = await testRegistry(t)
  const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
  for (const eventType of eventTypes()) {
    const bytes = await serde.encode(eventType, sampleEvents[eventType])
    assert.equal(bytes[0], 0, `${eventType} is framed with the magic byte`)
    assert.equal(bytes.readUInt32BE(1), await serde.schemaId(eventType))
    assert.deepEqual(plain(await serde.decode(eventType, bytes)), plain(sampleEvents[eventType]), eventType)
  }
  const subjects = (await (await fetch(`${registry.url}/subjects`)).json()) as string[]
  assert.deepEqual(
    subjects.sort(),
    eventTypes()
      .map((type) => catalogEntry(type).subject)
      .sort(),
  )
})

test("records written by Confluent's AvroSerializer decode with the serde, and the other way round", async (t) => {
  const registry = await testRegistry(t)
  const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
  const confluent = new SchemaRegistryClient({ baseURLs: [registry.url], maxRetries: 0 })
  const { topic } = catalogEntry('SensorReading')
  const id = await serde.schemaId('SensorReading')
  // Confluent's serializer writes with the subject's latest registered schema: the catalog's.
  const serializer = new AvroSerializer(confluent, SerdeType.VALUE, {
    useLatestVersion: true,
    autoRegisterSchemas: false,
  })
  const deserializer = new AvroDeserializer(confluent, SerdeType.VALUE, {})
  const reading = sampleEvents.SensorReading

  // Confluent's Avro serde has no timestamp-millis logical type: it reads and writes epoch millis.
  const fromConfluent = await serializer.serialize(topic, {
    ...reading,
    occurredAt: reading.occurredAt.getTime(),
  })
  assert.equal(fromConfluent.readUInt32BE(1), id, 'one schema, one id')
  const decoded = await serde.decode('SensorReading', fromConfluent)
  assert.deepEqual(plain(decoded), plain(reading))

  const fromSerde = await serde.encode('SensorReading', reading)
  const back = (await deserializer.deserialize(topic, fromSerde)) as Record<string, unknown>
  assert.equal(back['sensorId'], reading.sensorId)
  assert.equal(back['eventId'], reading.eventId)
  assert.equal(back['value'], reading.value)
  assert.equal(back['occurredAt'], reading.occurredAt.getTime())
})

test("a record written with an older schema version decodes into the catalog's current shape", async (t) => {
  const registry = await testRegistry(t)
  const older = JSON.parse(schemaText('PaymentConfirmed')) as { fields: Array<{ name: string }> }
  older.fields = older.fields.filter((field) => field.name !== 'description')
  const kafkajs = new KafkajsRegistry({ host: registry.url })
  const { id: olderId } = await kafkajs.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(older) },
    { subject: catalogEntry('PaymentConfirmed').subject },
  )
  const { description: _dropped, ...payment } = sampleEvents.PaymentConfirmed
  const oldBytes = await kafkajs.encode(olderId, { ...payment, occurredAt: payment.occurredAt.getTime() })

  const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
  const decoded = await serde.decode('PaymentConfirmed', oldBytes)
  assert.equal(decoded.description, null, 'the added field takes its default')
  assert.equal(decoded.amountMinor, payment.amountMinor)
  assert.ok(decoded.occurredAt instanceof Date)
  assert.notEqual(await serde.schemaId('PaymentConfirmed'), olderId, 'the current schema is a new version')
})

test('a schema id the registry does not know is an UnknownSchemaIdError, not retriable', async (t) => {
  const registry = await testRegistry(t)
  const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
  const bytes = frame(987_654, Buffer.from([2, 0]))
  await assert.rejects(
    serde.decode('UserLogin', bytes, { topic: 'logins', partition: 0, offset: '7' }),
    (error: unknown) => {
      assert.ok(error instanceof UnknownSchemaIdError)
      assert.equal(error.retriable, false)
      assert.equal(error.context.topic, 'logins')
      return true
    },
  )
})

test('a registry that is down gives a retriable RegistryUnavailableError within the timeout', async () => {
  const url = `http://127.0.0.1:${await freePort()}`
  const serde = new EventSerde(new ConfluentRegistryClient(url, { retries: 0, timeoutMs: 2_000 }))
  const started = Date.now()
  await assert.rejects(serde.encode('UserLogin', sampleEvents.UserLogin), (error: unknown) => {
    assert.ok(error instanceof RegistryUnavailableError)
    assert.equal(error.retriable, true)
    return true
  })
  assert.ok(Date.now() - started < 10_000, 'it does not hang')
})
