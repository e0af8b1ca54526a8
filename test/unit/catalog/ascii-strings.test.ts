import assert from 'node:assert/strict'
import { test } from 'node:test'
import avsc from 'avsc'
import fc from 'fast-check'
import { eventTypes, parseAvroSchema, schemaText, schemaType } from '#libs/catalog'
import { sampleEvents } from '../../helpers/sample-events.ts'

const schema = {
  type: 'record',
  name: 'Strings',
  fields: [
    { name: 's', type: 'string' },
    { name: 'u', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'm', type: { type: 'map', values: 'string' } },
    { name: 'o', type: ['null', 'string'] },
  ],
}
const fast = parseAvroSchema(schema)
const plain = avsc.Type.forSchema(schema as never)
const uuid = '6f1c2a4e-8b0d-4c3e-9a57-1d2e3f405162'

function outcome(encode: () => Buffer): { bytes: Buffer } | { error: string } {
  try {
    return { bytes: encode() }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

test('strings of any content and length encode to the bytes avsc writes', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ minLength: 60, maxLength: 4200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
  )
  fc.assert(
    fc.property(text, text, (s, o) => {
      const value = { s, u: uuid, m: { [s]: o }, o }
      assert.deepEqual(fast.toBuffer(value), plain.toBuffer(value))
    }),
    { numRuns: 1000 },
  )
})

test('strings at the 64- and 4096-character boundaries encode to the bytes avsc writes', () => {
  for (const length of [0, 1, 63, 64, 65, 127, 128, 4094, 4095, 4096, 4097, 10_000]) {
    const value = { s: 'a'.repeat(length), u: uuid, m: {}, o: 'é'.repeat(length) }
    assert.deepEqual(fast.toBuffer(value), plain.toBuffer(value), `length ${length}`)
  }
})

test('a value that is not a string fails with avsc’s error', () => {
  for (const s of [undefined, 42, null, {}, ['a']]) {
    const value = { s, u: uuid, m: {}, o: null }
    assert.deepEqual(
      outcome(() => fast.toBuffer(value as never)),
      outcome(() => plain.toBuffer(value as never)),
    )
  }
  const badUuid = { s: 'x', u: 'not-a-uuid', m: {}, o: null }
  assert.throws(() => fast.toBuffer(badUuid), /invalid "string": undefined/)
})

test('a buffer without room reports the same shortfall as avsc', () => {
  const value = { s: 'x'.repeat(100), u: uuid, m: { k: 'v' }, o: 'tail' }
  for (let size = 0; size < 160; size += 7) {
    assert.equal(
      fast.encode(value, Buffer.alloc(size)),
      plain.encode(value, Buffer.alloc(size)),
      `size ${size}`,
    )
  }
})

test('every catalog sample event encodes to the bytes avsc writes without the backbone types', () => {
  for (const eventType of eventTypes()) {
    const json = JSON.parse(schemaText(eventType))
    const withoutLogical = avsc.Type.forSchema(json)
    const event = sampleEvents[eventType] as unknown as Record<string, unknown>
    const raw = Object.fromEntries(
      Object.entries(event).map(([key, value]) => [key, value instanceof Date ? value.getTime() : value]),
    )
    assert.deepEqual(schemaType(eventType).toBuffer(event), withoutLogical.toBuffer(raw), eventType)
  }
})
