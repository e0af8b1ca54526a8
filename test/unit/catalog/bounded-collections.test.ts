import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseAvroSchema } from '@event-backbone/catalog'

/** Avro's zig-zag varint encoding of a long. */
function varint(value: number): number[] {
  let n = value >= 0 ? value * 2 : -value * 2 - 1
  const bytes: number[] = []
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  bytes.push(n)
  return bytes
}

const record = (fields: unknown[]) => parseAvroSchema({ type: 'record', name: 'R', fields })

test('an array block claiming more items than bytes remain is refused at once', () => {
  const type = record([{ name: 'xs', type: { type: 'array', items: 'string' } }])
  const started = Date.now()
  assert.throws(
    () => type.fromBuffer(Buffer.from(varint(2 ** 31 - 1))),
    /claims 2147483647 items but only 0 bytes/,
  )
  assert.ok(Date.now() - started < 1000)
})

test('a map block claiming more entries than bytes remain is refused at once', () => {
  const type = record([{ name: 'm', type: { type: 'map', values: 'long' } }])
  assert.throws(() => type.fromBuffer(Buffer.from([...varint(2 ** 30), 0x02])), /claims 1073741824 items/)
})

test('a hostile count in a field the reader skips is refused too', () => {
  const writer = record([
    { name: 'xs', type: { type: 'array', items: 'string' } },
    { name: 'n', type: 'int' },
  ])
  const reader = record([{ name: 'n', type: 'int' }])
  assert.throws(
    () => reader.fromBuffer(Buffer.from(varint(2 ** 31 - 1)), reader.createResolver(writer)),
    /claims 2147483647 items/,
  )
})

test('honest arrays and maps, including blocks with a byte size, still decode', () => {
  const type = record([
    { name: 'xs', type: { type: 'array', items: 'string' } },
    { name: 'm', type: { type: 'map', values: 'int' } },
  ])
  const value = { xs: ['a', 'bc'], m: { k: 1, l: 2 } }
  assert.deepEqual({ ...type.fromBuffer(type.toBuffer(value)) }, value)
  // A negative count announces the block's byte size (written by other Avro implementations).
  const sized = Buffer.from([...varint(-2), ...varint(5), 2, 0x61, 4, 0x62, 0x63, 0, 0])
  assert.deepEqual([...(type.fromBuffer(sized) as { xs: string[] }).xs], ['a', 'bc'])
})

test('an array of zero-byte items may claim more items than bytes remain', () => {
  const type = record([{ name: 'xs', type: { type: 'array', items: 'null' } }])
  assert.equal((type.fromBuffer(Buffer.from([...varint(1000), 0])) as { xs: null[] }).xs.length, 1000)
})
