import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseAvroSchema } from '@event-backbone/catalog'

const record = (fields: unknown[]) => ({ type: 'record', name: 'T', fields })
const timestamp = { type: 'long', logicalType: 'timestamp-millis' }
const uuid = { type: 'string', logicalType: 'uuid' }

test('timestamp-millis encodes a Date and decodes to an equal Date', () => {
  const type = parseAvroSchema(record([{ name: 'at', type: timestamp }]))
  const at = new Date('2026-11-27T21:00:00.123Z')
  const decoded = type.fromBuffer(type.toBuffer({ at })) as { at: Date }
  assert.ok(decoded.at instanceof Date)
  assert.equal(decoded.at.getTime(), at.getTime())
})

test('timestamp-millis refuses a number and an invalid Date', () => {
  const type = parseAvroSchema(record([{ name: 'at', type: timestamp }]))
  assert.equal(type.isValid({ at: Date.now() }), false)
  assert.equal(type.isValid({ at: new Date('nonsense') }), false)
  assert.throws(() => type.toBuffer({ at: 1_764_000_000_000 }))
})

test('a plain long written by an older producer resolves to a Date for a timestamp-millis reader', () => {
  const writer = parseAvroSchema(record([{ name: 'at', type: 'long' }]))
  const reader = parseAvroSchema(record([{ name: 'at', type: timestamp }]))
  const decoded = reader.fromBuffer(writer.toBuffer({ at: 1_000 }), reader.createResolver(writer)) as {
    at: Date
  }
  assert.deepEqual(decoded.at, new Date(1_000))
})

test('uuid accepts the canonical form and refuses anything else', () => {
  const type = parseAvroSchema(record([{ name: 'id', type: uuid }]))
  assert.ok(type.isValid({ id: 'A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF' }))
  assert.ok(type.isValid({ id: crypto.randomUUID() }))
  assert.equal(type.isValid({ id: 'a1b2c3d4e5f647118899aabbccddeeff' }), false)
  assert.equal(type.isValid({ id: 42 }), false)
})

test('a long beyond 2^53 - 2 is refused rather than rounded', () => {
  const type = parseAvroSchema(record([{ name: 'n', type: 'long' }]))
  assert.equal(type.isValid({ n: 2 ** 53 - 2 }), true)
  assert.equal(type.isValid({ n: -(2 ** 53 - 2) }), true)
  assert.equal(type.isValid({ n: Number.MAX_SAFE_INTEGER }), false)
})
