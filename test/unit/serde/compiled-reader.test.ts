import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type EventType, eventTypes, parseAvroSchema, schemaText, schemaType } from '@event-backbone/catalog'
import avsc from 'avsc'
import fc from 'fast-check'
import { BAIL, compileReader } from '../../../libs/serde/src/compiled-reader.ts'
import { decodeBody, decodeWithAvsc } from '../../../libs/serde/src/framed-codec.ts'
import { outcomeOf } from '../../helpers/outcome.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

/**
 * The compiled reader alone returns avsc's value or BAIL, never anything else; and decodeBody
 * (compiled reader, then avsc for what it hands back) returns avsc's value or throws avsc's error.
 */
function assertAgrees(type: avsc.Type, bytes: Buffer): void {
  const reference = outcomeOf(() => decodeWithAvsc(type, bytes, 5, null))
  const read = compileReader(type)
  assert.ok(read, `${type.name} compiles`)
  const compiled = outcomeOf(() => read(bytes, 5))
  if ('error' in compiled) assert.fail(`the compiled reader threw: ${compiled.error}`)
  if (compiled.value !== BAIL) assert.deepStrictEqual(compiled, reference)
  assert.deepStrictEqual(
    outcomeOf(() => decodeBody(type, bytes, 5, null)),
    reference,
  )
}

function framed(eventType: EventType, event: unknown = sampleEvents[eventType]): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), schemaType(eventType).toBuffer(event)])
}

const nonAscii = {
  ...sampleEvents.FileUploadCompleted,
  fileName: 'Über-Straße-報告-📄.pdf',
  ownerId: 'é',
  tags: { schlüssel: 'wert ✓', plain: 'ascii' },
}

test('the compiled reader returns exactly what avsc decodes for every catalog sample event', () => {
  for (const eventType of eventTypes()) {
    const bytes = framed(eventType)
    const read = compileReader(schemaType(eventType))!
    assert.deepStrictEqual(read(bytes, 5), decodeWithAvsc(schemaType(eventType), bytes, 5, null))
  }
})

test('strings with non-ASCII characters decode as UTF-8 next to ASCII ones', () => {
  const type = schemaType('FileUploadCompleted')
  const value = compileReader(type)!(framed('FileUploadCompleted', nonAscii), 5)
  assert.deepStrictEqual(value, decodeWithAvsc(type, framed('FileUploadCompleted', nonAscii), 5, null))
  assert.equal((value as typeof nonAscii).fileName, nonAscii.fileName)
})

test('any Unicode text in string fields and map keys decodes as avsc decodes it', () => {
  const type = schemaType('FileUploadCompleted')
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme' }),
      fc.dictionary(fc.string({ unit: 'binary' }), fc.string()),
      (text, tags) => {
        const bytes = framed('FileUploadCompleted', {
          ...sampleEvents.FileUploadCompleted,
          fileName: text,
          tags,
        })
        assert.notEqual(compileReader(type)!(bytes, 5), BAIL)
        assertAgrees(type, bytes)
      },
    ),
    { numRuns: 500 },
  )
})

test('decoded records keep the prototype avsc gives them, with timestamps as Dates', () => {
  const type = schemaType('LedgerPosting')
  const value = compileReader(type)!(framed('LedgerPosting'), 5) as Record<string, unknown>
  const reference = decodeWithAvsc(type, framed('LedgerPosting'), 5, null) as object
  assert.equal(Object.getPrototypeOf(value), Object.getPrototypeOf(reference))
  assert.ok(value['occurredAt'] instanceof Date)
})

test('every truncation of every sample event gives avsc’s error', () => {
  for (const eventType of [...eventTypes()]) {
    const bytes = framed(eventType)
    for (let length = 5; length < bytes.length; length++) {
      assertAgrees(schemaType(eventType), bytes.subarray(0, length))
    }
    assertAgrees(schemaType(eventType), Buffer.concat([bytes, Buffer.from([0])]))
  }
})

test('the compiled reader agrees with avsc on sample events with bytes overwritten at random', () => {
  const types = [...eventTypes()]
  fc.assert(
    fc.property(
      fc.constantFrom(...types),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      (eventType, edits) => {
        const bytes = Buffer.from(framed(eventType))
        for (const [at, byte] of edits) bytes[5 + (at % (bytes.length - 5))] = byte
        assertAgrees(schemaType(eventType), bytes)
      },
    ),
    { numRuns: 2000 },
  )
})

test('the compiled reader agrees with avsc on arbitrary bodies', () => {
  const types = [...eventTypes()]
  fc.assert(
    fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 80 }), (eventType, body) => {
      assertAgrees(schemaType(eventType), Buffer.concat([Buffer.alloc(5), body]))
    }),
    { numRuns: 2000 },
  )
})

test('the compiled reader agrees with avsc on random values of every catalog schema', () => {
  for (const eventType of eventTypes()) {
    // The same schema without logical types writes the same bytes and can make random values
    // (random uuids and timestamps of the logical types are not valid ones).
    const plain = avsc.Type.forSchema(JSON.parse(schemaText(eventType)))
    const read = compileReader(schemaType(eventType))!
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.concat([Buffer.alloc(5), plain.toBuffer(plain.random())])
      assert.notEqual(read(bytes, 5), BAIL, 'a valid body never falls back to avsc')
      assertAgrees(schemaType(eventType), bytes)
    }
  }
})

test('blocks that claim more items than bytes remain are left to avsc’s bounded collections', () => {
  const type = schemaType('SecurityAlert')
  const bytes = framed('SecurityAlert')
  // ipAddresses starts after eventId (37 B), occurredAt (6 B), source (14 B), alertId (37 B), userId (8 B).
  const hostile = Buffer.concat([bytes.subarray(0, 5 + 102), Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x0f])])
  assertAgrees(type, hostile)
  assert.throws(
    () => decodeBody(type, hostile, 5, null),
    /a block claims 2147483647 items but only 0 bytes remain/,
  )
})

test('schemas with types the generator does not handle are left to avsc', () => {
  const withBytes = parseAvroSchema({
    type: 'record',
    name: 'WithBytes',
    fields: [{ name: 'payload', type: 'bytes' }],
  })
  assert.equal(compileReader(withBytes), undefined)
  const bytes = Buffer.concat([Buffer.alloc(5), withBytes.toBuffer({ payload: Buffer.from('hi') })])
  assert.deepStrictEqual(decodeBody(withBytes, bytes, 5, null), decodeWithAvsc(withBytes, bytes, 5, null))
})

test('every Avro type the generator handles decodes as avsc does', () => {
  const type = parseAvroSchema({
    type: 'record',
    name: 'Everything',
    fields: [
      { name: 'n', type: 'null' },
      { name: 'b', type: 'boolean' },
      { name: 'i', type: 'int' },
      { name: 'l', type: 'long' },
      { name: 'f', type: 'float' },
      { name: 'd', type: 'double' },
      { name: 's', type: 'string' },
      { name: 'u', type: ['null', 'int', 'string'] },
      { name: 'm', type: { type: 'map', values: { type: 'array', items: 'long' } } },
      { name: 'nested', type: { type: 'record', name: 'Nested', fields: [{ name: 'x', type: 'int' }] } },
    ],
  })
  assert.ok(compileReader(type))
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1000 }), () => {
      assertAgrees(type, Buffer.concat([Buffer.alloc(5), type.toBuffer(type.random())]))
    }),
    { numRuns: 300 },
  )
})

test('longs and ints of every varint length, and overlong varints, read as avsc reads them', () => {
  const record = (type: string | object) =>
    parseAvroSchema({
      type: 'record',
      name: 'Numbers',
      fields: [
        { name: 'a', type },
        { name: 'b', type },
      ],
    })
  // avsc's long range stops one short of Number.MAX_SAFE_INTEGER.
  const safeLong = fc.integer({ min: -9007199254740990, max: 9007199254740990 })
  const types = [record('long'), record('int'), record({ type: 'long', logicalType: 'timestamp-millis' })]
  fc.assert(
    fc.property(safeLong, safeLong, (a, b) => {
      const bytes = Buffer.concat([Buffer.alloc(5), record('long').toBuffer({ a, b })])
      for (const type of types) assertAgrees(type, bytes)
    }),
    { numRuns: 1000 },
  )
  // Varints of 1 to 11 bytes with arbitrary payload bits, then a one-byte varint.
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 11 }), (groups) => {
      const varint = groups.map((group, i) => (i < groups.length - 1 ? group | 0x80 : group))
      const bytes = Buffer.from([0, 0, 0, 0, 1, ...varint, 2])
      for (const type of types) assertAgrees(type, bytes)
    }),
    { numRuns: 2000 },
  )
})
