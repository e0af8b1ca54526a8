import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventTypes, parseAvroSchema, schemaText, schemaType } from '@event-backbone/catalog'
import avsc from 'avsc'
import fc from 'fast-check'
import { BAIL_WRITE, compileWriter } from '../../../libs/serde/src/compiled-writer.ts'
import { encodeFramed } from '../../../libs/serde/src/framed-codec.ts'
import { outcomeOf } from '../../helpers/outcome.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

/**
 * The compiled writer alone writes avsc's bytes or returns BAIL_WRITE (never throws, never writes
 * what avsc would refuse); encodeFramed (compiled writer, then avsc) writes avsc's bytes or throws
 * avsc's error.
 */
function assertAgrees(type: avsc.Type, value: unknown): void {
  const reference = outcomeOf(() => type.toBuffer(value))
  const write = compileWriter(type)
  assert.ok(write)
  const buffer = Buffer.alloc(64 * 1024)
  const end = write(value, buffer, 0)
  if (end !== BAIL_WRITE) assert.deepEqual({ value: buffer.subarray(0, end) }, reference)
  const framed = outcomeOf(() => encodeFramed(type, value, 7).subarray(5))
  assert.deepEqual(framed, reference)
}

test('every catalog sample event is written by the compiled writer, with avsc’s bytes', () => {
  for (const eventType of eventTypes()) {
    const type = schemaType(eventType)
    const buffer = Buffer.alloc(4096)
    const end = compileWriter(type)!(sampleEvents[eventType], buffer, 0)
    assert.notEqual(end, BAIL_WRITE, eventType)
    assert.deepEqual(buffer.subarray(0, end), type.toBuffer(sampleEvents[eventType]), eventType)
  }
})

test('random valid events of every catalog schema encode to avsc’s bytes', () => {
  for (const eventType of eventTypes()) {
    const type = schemaType(eventType)
    // Random values of the schema without logical types, turned back into Dates and uuids.
    const plain = avsc.Type.forSchema(JSON.parse(schemaText(eventType)))
    const sample = sampleEvents[eventType] as unknown as Record<string, unknown>
    for (let i = 0; i < 200; i++) {
      const value = plain.random() as unknown as Record<string, unknown>
      for (const [key, sampleValue] of Object.entries(sample)) {
        if (sampleValue instanceof Date) value[key] = new Date(Number(value[key]) % 4e12)
        else if (typeof sampleValue === 'string' && /^[0-9a-f]{8}-/.test(sampleValue))
          value[key] = sampleValue
      }
      assertAgrees(type, value)
    }
  }
})

test('events with one field replaced by anything are written or refused exactly as avsc does', () => {
  const types = [...eventTypes()]
  const anything = fc.oneof(
    fc.anything(),
    fc.date(),
    fc.string({ unit: 'grapheme' }),
    fc.double(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.constantFrom(
      null,
      undefined,
      'CARD',
      'DEBIT',
      '6f1c2a4e-8b0d-4c3e-9a57-1d2e3f405162',
      new Date(Number.NaN),
    ),
    fc.array(fc.string()),
    fc.dictionary(fc.string(), fc.string()),
  )
  fc.assert(
    fc.property(fc.constantFrom(...types), fc.nat(), anything, (eventType, at, replacement) => {
      const event = { ...(sampleEvents[eventType] as unknown as Record<string, unknown>) }
      const keys = Object.keys(event)
      event[keys[at % keys.length]!] = replacement
      assertAgrees(schemaType(eventType), event)
    }),
    { numRuns: 3000 },
  )
})

test('nested records, arrays, maps and non-ASCII strings are written or refused exactly as avsc does', () => {
  const lines = fc.array(
    fc.record({
      accountId: fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer()),
      direction: fc.constantFrom('DEBIT', 'CREDIT', 'SIDEWAYS'),
      amountMinor: fc.oneof(fc.maxSafeInteger(), fc.double()),
      currency: fc.string(),
    }),
  )
  fc.assert(
    fc.property(lines, fc.option(fc.string({ unit: 'grapheme', maxLength: 300 })), (ledgerLines, memo) => {
      assertAgrees(schemaType('LedgerPosting'), { ...sampleEvents.LedgerPosting, lines: ledgerLines, memo })
    }),
    { numRuns: 1000 },
  )
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.oneof(fc.string(), fc.integer())), (tags) => {
      assertAgrees(schemaType('FileUploadCompleted'), { ...sampleEvents.FileUploadCompleted, tags })
    }),
    { numRuns: 500 },
  )
})

test('a missing field with a default is left to avsc, which writes the default', () => {
  const { tags: _tags, ...withoutTags } = sampleEvents.FileUploadCompleted
  const type = schemaType('FileUploadCompleted')
  assert.equal(compileWriter(type)!(withoutTags, Buffer.alloc(4096), 0), BAIL_WRITE)
  assertAgrees(type, withoutTags)
})

test('a buffer too small for the value makes the compiled writer hand it to avsc', () => {
  const type = schemaType('UploadProcessed')
  for (let size = 0; size < 320; size += 9) {
    const end = compileWriter(type)!(sampleEvents.UploadProcessed, Buffer.alloc(size), 0)
    assert.ok(end === BAIL_WRITE || end <= size)
    if (end !== BAIL_WRITE) assert.deepEqual(end, type.toBuffer(sampleEvents.UploadProcessed).length)
  }
})

test('every type the generator handles writes as avsc does, and the rest are left to avsc', () => {
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
      { name: 'u', type: ['null', 'long'] },
      { name: 'm', type: { type: 'map', values: { type: 'array', items: 'boolean' } } },
    ],
  })
  assert.ok(compileWriter(type))
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1000 }), fc.anything(), (_, noise) => {
      const value = type.random() as unknown as Record<string, unknown>
      assertAgrees(type, value)
      assertAgrees(type, { ...value, f: noise })
    }),
    { numRuns: 300 },
  )
  const wide = parseAvroSchema(['null', 'string', 'long'])
  assert.equal(compileWriter(wide), undefined)
  assert.equal(compileWriter(parseAvroSchema({ type: 'bytes' })), undefined)
})

test('longs, ints and timestamps of every size are written as avsc writes them', () => {
  const type = parseAvroSchema({
    type: 'record',
    name: 'Numbers',
    fields: [
      { name: 'l', type: 'long' },
      { name: 'i', type: 'int' },
      { name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } },
    ],
  })
  const long = fc.oneof(
    fc.integer({ min: -9007199254740990, max: 9007199254740990 }),
    fc.integer(),
    fc.double(),
  )
  fc.assert(
    fc.property(long, fc.oneof(fc.integer(), fc.double()), long, (l, i, t) => {
      assertAgrees(type, { l, i, t: new Date(t) })
    }),
    { numRuns: 3000 },
  )
})

test('strings around the 64- and 255-character boundaries are written as avsc writes them', () => {
  const type = schemaType('PaymentConfirmed')
  for (const length of [0, 1, 63, 64, 65, 127, 128, 254, 255, 256, 1000, 9000]) {
    for (const char of ['a', 'é', '📄']) {
      assertAgrees(type, { ...sampleEvents.PaymentConfirmed, payerAccountId: char.repeat(length) })
      assertAgrees(type, { ...sampleEvents.PaymentConfirmed, payerAccountId: `${'a'.repeat(length)}${char}` })
    }
  }
})
