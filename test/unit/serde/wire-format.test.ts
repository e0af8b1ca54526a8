import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BadMagicByteError, TruncatedRecordError } from '@event-backbone/errors'
import { frame, unframe } from '@event-backbone/serde'

test('unframe returns the schema id and body that frame wrote', () => {
  const body = Buffer.from([1, 2, 3, 250])
  const framed = frame(123_456, body)
  assert.deepEqual([...framed.subarray(0, 5)], [0, 0, 1, 0xe2, 0x40])
  const { schemaId, body: read } = unframe(framed)
  assert.equal(schemaId, 123_456)
  assert.deepEqual(read, body)
})

test('unframe accepts a plain Uint8Array, not only a Buffer', () => {
  const framed = new Uint8Array(frame(7, Buffer.from('x')))
  assert.equal(unframe(framed).schemaId, 7)
})

test('the largest schema id a signed 32-bit integer holds survives the round trip', () => {
  assert.equal(unframe(frame(0x7fffffff, Buffer.alloc(0))).schemaId, 0x7fffffff)
})

test('frame refuses a schema id that does not fit the 4-byte field', () => {
  assert.throws(() => frame(-1, Buffer.alloc(0)), RangeError)
  assert.throws(() => frame(2 ** 31, Buffer.alloc(0)), RangeError)
  assert.throws(() => frame(1.5, Buffer.alloc(0)), RangeError)
})

test('an empty record is a TruncatedRecordError that says it is empty', () => {
  assert.throws(
    () => unframe(Buffer.alloc(0), { topic: 'payments', partition: 2, offset: '17' }),
    (error: unknown) => {
      assert.ok(error instanceof TruncatedRecordError)
      assert.match(error.message, /empty \(0 bytes\)/)
      assert.equal(error.retriable, false)
      assert.deepEqual(error.context, { topic: 'payments', partition: 2, offset: '17', length: 0 })
      return true
    },
  )
})

test('a 4-byte record with magic byte 0 is a TruncatedRecordError naming its length', () => {
  assert.throws(
    () => unframe(Buffer.from([0, 0, 0, 1])),
    (error: unknown) => {
      assert.ok(error instanceof TruncatedRecordError)
      assert.match(error.message, /the record is 4 bytes/)
      return true
    },
  )
})

test('a JSON record is a BadMagicByteError that shows the byte found and says it looks like JSON', () => {
  assert.throws(
    () => unframe(Buffer.from('{"amount":1}')),
    (error: unknown) => {
      assert.ok(error instanceof BadMagicByteError)
      assert.match(error.message, /^first byte is 0x7b, expected 0x00 \(Confluent wire format\)/)
      assert.match(error.message, /looks like JSON/)
      assert.equal(error.context['magicByte'], 0x7b)
      return true
    },
  )
})

test('a short record with a wrong first byte is reported as a bad magic byte, not as truncated', () => {
  assert.throws(() => unframe(Buffer.from([0x01, 0, 0])), BadMagicByteError)
})
