import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventTypes, parseAvroSchema, schemaText } from '@event-backbone/catalog'
import {
  AvroDecodeError,
  AvroEncodeError,
  type BackboneError,
  IncompatibleReaderError,
  RegistryUnavailableError,
  UnknownSchemaIdError,
} from '@event-backbone/errors'
import { EventSerde, frame, unframe } from '@event-backbone/serde'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { FakeRegistry } from './fake-registry.ts'

test('every catalog event survives encode and decode unchanged', async () => {
  const serde = new EventSerde(new FakeRegistry())
  for (const eventType of eventTypes()) {
    const event = sampleEvents[eventType]
    const decoded = await serde.decode(eventType, await serde.encode(eventType, event))
    // structuredClone: decoded records are instances of avsc's record classes.
    assert.deepEqual(structuredClone(decoded), event, eventType)
  }
})

test('events far larger than the scratch buffer encode and decode intact', async () => {
  const serde = new EventSerde(new FakeRegistry())
  for (const size of [40_000, 3_000_000]) {
    const event = { ...sampleEvents.UploadProcessed, metadata: { text: 'x'.repeat(size) } }
    const bytes = await serde.encode('UploadProcessed', event)
    assert.ok(bytes.length > size)
    assert.deepEqual(structuredClone(await serde.decode('UploadProcessed', bytes)), event)
  }
  const small = await serde.encode('SensorReading', sampleEvents.SensorReading)
  assert.equal((await serde.decode('SensorReading', small)).sensorId, sampleEvents.SensorReading.sensorId)
})

test('the event type decides the value type at compile time and the schema at run time', async () => {
  const serde = new EventSerde(new FakeRegistry())
  // @ts-expect-error a SensorReading is not a PaymentConfirmed
  await assert.rejects(serde.encode('PaymentConfirmed', sampleEvents.SensorReading), AvroEncodeError)
  const payment = await serde.decode(
    'PaymentConfirmed',
    await serde.encode('PaymentConfirmed', sampleEvents.PaymentConfirmed),
  )
  const method: 'CARD' | 'BANK_TRANSFER' | 'DIRECT_DEBIT' | 'WALLET' = payment.method
  assert.equal(method, 'CARD')
})

test('a record of any type decodes with its writer schema alone, for tools that take every type', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const bytes = await serde.encode('SecurityAlert', sampleEvents.SecurityAlert)
  const { schemaName, value } = await serde.decodeWithWriterSchema(bytes)
  assert.equal(schemaName, 'dev.eventbackbone.events.SecurityAlert')
  assert.equal((value as { failureCount: number }).failureCount, 12)
  await assert.rejects(serde.decodeWithWriterSchema(bytes.subarray(0, 8), { topic: 't' }), AvroDecodeError)
})

test('timestamps decode as Date objects', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const decoded = await serde.decode(
    'SecurityAlert',
    await serde.encode('SecurityAlert', sampleEvents.SecurityAlert),
  )
  assert.ok(decoded.windowStart instanceof Date)
  assert.equal(decoded.windowStart.toISOString(), '2026-11-27T10:15:00.000Z')
})

test('encode frames the body with the id the registry gave the subject', async () => {
  const registry = new FakeRegistry()
  const serde = new EventSerde(registry)
  const bytes = await serde.encode('PaymentConfirmed', sampleEvents.PaymentConfirmed)
  const id = registry.add(schemaText('PaymentConfirmed'))
  assert.equal(unframe(bytes).schemaId, id)
})

test('a record written with an older schema decodes to the newer reader type with the default filled in', async () => {
  const registry = new FakeRegistry()
  const reader = JSON.parse(schemaText('PaymentConfirmed')) as { fields: Array<{ name: string }> }
  // Version 1 of the schema, before `description` (default null) was added.
  const older = { ...reader, fields: reader.fields.filter((field) => field.name !== 'description') }
  const olderId = registry.add(JSON.stringify(older))
  const { description: _, ...olderEvent } = sampleEvents.PaymentConfirmed
  const bytes = frame(olderId, parseAvroSchema(older).toBuffer(olderEvent))

  const decoded = await new EventSerde(registry).decode('PaymentConfirmed', bytes)
  assert.equal(decoded.description, null)
  assert.equal(decoded.amountMinor, sampleEvents.PaymentConfirmed.amountMinor)
  assert.ok(decoded.occurredAt instanceof Date)
})

test('a record of another event type is an IncompatibleReaderError naming both', async () => {
  const registry = new FakeRegistry()
  const serde = new EventSerde(registry)
  const bytes = await serde.encode('SensorReading', sampleEvents.SensorReading)
  await assert.rejects(serde.decode('PaymentConfirmed', bytes, { topic: 'payments' }), (error: unknown) => {
    assert.ok(error instanceof IncompatibleReaderError)
    assert.match(error.message, /SensorReading\) cannot be read as PaymentConfirmed/)
    assert.equal(error.context.topic, 'payments')
    return true
  })
})

test('a garbage body after a valid prefix is an AvroDecodeError with the schema id and record context', async () => {
  const registry = new FakeRegistry()
  const id = registry.add(schemaText('UserLogin'))
  const bytes = frame(id, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))
  const context = { topic: 'logins', partition: 3, offset: '42' }
  await assert.rejects(new EventSerde(registry).decode('UserLogin', bytes, context), (error: unknown) => {
    assert.ok(error instanceof AvroDecodeError)
    assert.match(error.message, new RegExp(`writer schema id ${id}`))
    assert.equal(error.context['schemaId'], id)
    assert.equal(error.context.offset, '42')
    assert.equal(error.retriable, false)
    return true
  })
})

test('a record whose Avro body was cut short is an AvroDecodeError', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const bytes = await serde.encode('UserLogin', sampleEvents.UserLogin)
  await assert.rejects(serde.decode('UserLogin', bytes.subarray(0, bytes.length - 10)), (error: unknown) => {
    assert.ok(error instanceof AvroDecodeError)
    assert.match(error.message, /truncated buffer/)
    return true
  })
})

test('a record with trailing bytes after the Avro body is an AvroDecodeError', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const bytes = await serde.encode('UserLogin', sampleEvents.UserLogin)
  await assert.rejects(serde.decode('UserLogin', Buffer.concat([bytes, Buffer.from([0])])), AvroDecodeError)
})

test('an id the registry does not know is an UnknownSchemaIdError carrying the record context', async () => {
  const bytes = frame(999, Buffer.from([0]))
  await assert.rejects(
    new EventSerde(new FakeRegistry()).decode('UserLogin', bytes, { topic: 'logins' }),
    (error: unknown) => {
      assert.ok(error instanceof UnknownSchemaIdError)
      assert.equal(error.retriable, false)
      assert.equal(error.context['schemaId'], 999)
      assert.equal(error.context['eventType'], 'UserLogin')
      assert.equal(error.context.topic, 'logins')
      return true
    },
  )
})

test('a framing error from decode names the event type it was decoding', async () => {
  await assert.rejects(
    new EventSerde(new FakeRegistry()).decode('UserLogin', Buffer.from('{}')),
    (error: unknown) => {
      assert.match((error as Error).message, /first byte is 0x7b/)
      assert.equal((error as BackboneError).context['eventType'], 'UserLogin')
      return true
    },
  )
})

test('encode rejects an invalid value with an AvroEncodeError naming each bad field', async () => {
  const registry = new FakeRegistry()
  const serde = new EventSerde(registry)
  const bad = {
    ...sampleEvents.LedgerPosting,
    eventId: 'not-a-uuid',
    lines: [
      { accountId: 'a', direction: 'DEBIT', amountMinor: 12.5, currency: 'EUR' },
      { accountId: 'b', direction: 'SIDEWAYS', amountMinor: 1250, currency: 'EUR' },
    ],
  } as unknown as typeof sampleEvents.LedgerPosting
  await assert.rejects(serde.encode('LedgerPosting', bad), (error: unknown) => {
    assert.ok(error instanceof AvroEncodeError)
    assert.deepEqual(error.context['fields'], ['eventId', 'lines[0].amountMinor', 'lines[1].direction'])
    assert.match(error.message, /lines\[0\]\.amountMinor: expected an integer \(long\), got 12\.5/)
    assert.match(error.message, /lines\[1\]\.direction: expected one of DEBIT, CREDIT, got "SIDEWAYS"/)
    return true
  })
  assert.equal(registry.calls.register, 0, 'an invalid value never reaches the registry')
})

test('encode names a missing required field and a timestamp given as a number', async () => {
  const { userId: _, ...missing } = sampleEvents.UserLogin
  const bad = { ...missing, occurredAt: Date.now() } as unknown as typeof sampleEvents.UserLogin
  await assert.rejects(new EventSerde(new FakeRegistry()).encode('UserLogin', bad), (error: unknown) => {
    assert.ok(error instanceof AvroEncodeError)
    assert.deepEqual(error.context['fields'], ['occurredAt', 'userId'])
    assert.match(error.message, /userId: expected string, got nothing \(missing\)/)
    assert.match(error.message, /occurredAt: expected a valid Date/)
    return true
  })
})

test('many encodes of one event type register its schema once', async () => {
  const registry = new FakeRegistry()
  const serde = new EventSerde(registry)
  await Promise.all(
    Array.from({ length: 20 }, () => serde.encode('SensorReading', sampleEvents.SensorReading)),
  )
  await serde.encode('SensorReading', sampleEvents.SensorReading)
  assert.equal(registry.calls.register, 1)
})

test('concurrent decodes of one unknown-to-the-cache id share one registry request', async () => {
  const registry = new FakeRegistry()
  const bytes = await new EventSerde(registry).encode('SensorReading', sampleEvents.SensorReading)
  const serde = new EventSerde(registry)
  let open: () => void = () => {}
  registry.gate = new Promise((resolve) => {
    open = resolve
  })
  const decodes = Array.from({ length: 10 }, () => serde.decode('SensorReading', bytes))
  open()
  await Promise.all(decodes)
  await serde.decode('SensorReading', bytes)
  assert.equal(registry.calls.getSchemaById, 1)
})

test('a failed registry lookup is not cached: the next decode asks again', async () => {
  const registry = new FakeRegistry()
  const bytes = await new EventSerde(registry).encode('SensorReading', sampleEvents.SensorReading)
  const serde = new EventSerde(registry)
  registry.failure = new RegistryUnavailableError('down')
  await assert.rejects(serde.decode('SensorReading', bytes), RegistryUnavailableError)
  registry.failure = undefined
  const decoded = await serde.decode('SensorReading', bytes)
  assert.equal(decoded.sensorId, sampleEvents.SensorReading.sensorId)
  assert.equal(registry.calls.getSchemaById, 2)
})

test('decodeSyncIfCached returns a promise until the writer schema is cached, then the event itself', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const bytes = await serde.encode('PaymentConfirmed', sampleEvents.PaymentConfirmed)
  const first = serde.decodeSyncIfCached('PaymentConfirmed', bytes)
  assert.ok(first instanceof Promise)
  assert.deepEqual(structuredClone(await first), sampleEvents.PaymentConfirmed)
  const second = serde.decodeSyncIfCached('PaymentConfirmed', bytes)
  assert.ok(!(second instanceof Promise))
  assert.deepEqual(structuredClone(second), sampleEvents.PaymentConfirmed)
})

test('decodeSyncIfCached throws the errors decode rejects with, synchronously, once the schema is cached', async () => {
  const serde = new EventSerde(new FakeRegistry())
  const bytes = await serde.encode('UserLogin', sampleEvents.UserLogin)
  await serde.decode('UserLogin', bytes)
  const context = { topic: 'logins', partition: 1, offset: '7' }
  const truncated = bytes.subarray(0, bytes.length - 10)
  assert.throws(
    () => serde.decodeSyncIfCached('UserLogin', truncated, context),
    (error: unknown) => {
      assert.ok(error instanceof AvroDecodeError)
      assert.match(error.message, /truncated buffer/)
      assert.equal(error.context.offset, '7')
      return true
    },
  )
  await assert.rejects(serde.decode('UserLogin', truncated, context), { message: /truncated buffer/ })
  assert.throws(() => serde.decodeSyncIfCached('UserLogin', Buffer.from('{"a":1}')), /looks like JSON/)
  assert.throws(() => serde.decodeSyncIfCached('SensorReading', bytes), IncompatibleReaderError)
})

test('encodeSyncIfCached returns a promise until the schema id is known, then the bytes, and throws invalid values', async () => {
  const registry = new FakeRegistry()
  const serde = new EventSerde(registry)
  const first = serde.encodeSyncIfCached('SensorReading', sampleEvents.SensorReading)
  assert.ok(first instanceof Promise)
  const bytes = await first
  const second = serde.encodeSyncIfCached('SensorReading', sampleEvents.SensorReading)
  assert.ok(Buffer.isBuffer(second))
  assert.deepEqual(second, bytes)
  const bad = { ...sampleEvents.SensorReading, kind: 'SMELL' } as unknown as typeof sampleEvents.SensorReading
  assert.throws(
    () => serde.encodeSyncIfCached('SensorReading', bad),
    (error: unknown) => {
      assert.ok(error instanceof AvroEncodeError)
      assert.deepEqual(error.context['fields'], ['kind'])
      return true
    },
  )
  assert.equal(registry.calls.register, 1)
})
