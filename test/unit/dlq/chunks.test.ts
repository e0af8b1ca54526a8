import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import fc from 'fast-check'
import { ChunkQueue, encodedSizeBound } from '../../../libs/dlq/src/replay/chunks.ts'

const require = createRequire(import.meta.url)
// kafkajs's own v2 record encoder: the bound must never be below what it writes.
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: {
  offsetDelta: number
  timestampDelta: number
  key: Buffer | null
  value: Buffer | null
  headers: Record<string, Buffer | string | (Buffer | string)[]>
}) => { buffer: Buffer }

const message = (partition: number, size = 100) => ({
  key: null,
  value: Buffer.alloc(size),
  partition,
})

test('the size bound is never below the record as kafkajs encodes it', () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 })
  const bytes = fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array))
  fc.assert(
    fc.property(
      fc.option(bytes),
      fc.option(bytes),
      fc.dictionary(text, fc.oneof(text, bytes, fc.array(fc.oneof(text, bytes), { maxLength: 3 }))),
      fc.nat({ max: 1_000_000 }),
      fc.nat({ max: 2 ** 40 }),
      (key, value, headers, offsetDelta, timestampDelta) => {
        const encoded = encodeRecord({ offsetDelta, timestampDelta, key, value, headers }).buffer
        assert.ok(encodedSizeBound(key, value, headers) >= encoded.length)
      },
    ),
  )
})

test('a chunk closes at the record limit, and the committer takes closed chunks before the open one', () => {
  const queue = new ChunkQueue({ records: 3, bytesPerPartition: 1e9, bytes: 1e9 }, 10)
  for (let offset = 0; offset < 7; offset++) {
    queue.add(0, String(offset), 'replayed', message(0), 100)
  }
  const sizes: number[] = []
  for (let chunk = queue.take(); chunk; chunk = queue.take()) sizes.push(chunk.scanned)
  assert.deepEqual(sizes, [3, 3, 1])
})

test("a chunk closes before a target partition's batch would pass its byte limit, and before the total would", () => {
  const queue = new ChunkQueue({ records: 100, bytesPerPartition: 250, bytes: 400 }, 10)
  // A third record for partition 1 would pass 250; then a fifth record would pass 400 in all.
  for (const partition of [1, 1, 1, 2, 0, 2, 0, 2]) queue.add(0, '0', 'replayed', message(partition), 100)
  const chunks = [queue.take(), queue.take(), queue.take(), queue.take()]
  assert.deepEqual(
    chunks.map((chunk) => chunk && [...chunk.bytesByPartition.entries()].sort()),
    [
      [[1, 200]],
      [
        [0, 100],
        [1, 100],
        [2, 200],
      ],
      [
        [0, 100],
        [2, 100],
      ],
      undefined,
    ],
  )
})

test('a chunk carries the next offset per dead-letter partition and its counts, unmatched and skipped included', () => {
  const queue = new ChunkQueue({ records: 10, bytesPerPartition: 1e9, bytes: 1e9 })
  queue.add(0, '10', 'replayed', message(0), 100)
  queue.add(2, '7', 'unmatched')
  queue.add(0, '11', 'skipped')
  queue.add(2, '8', 'replayed', message(1), 100)
  const chunk = queue.take()!
  assert.deepEqual(Object.fromEntries(chunk.progress), { 0: '12', 2: '9' })
  assert.deepEqual(
    { scanned: chunk.scanned, replayed: chunk.replayed, unmatched: chunk.unmatched, skipped: chunk.skipped },
    { scanned: 4, replayed: 2, unmatched: 1, skipped: 1 },
  )
  assert.equal(chunk.messages.length, 2)
  assert.equal(queue.take(), undefined)
})

test('the reader is told to wait once the given number of closed chunks wait, and may go on after a take', async () => {
  const queue = new ChunkQueue({ records: 1, bytesPerPartition: 1e9, bytes: 1e9 }, 2)
  queue.add(0, '0', 'unmatched')
  queue.add(0, '1', 'unmatched')
  assert.equal(queue.room(), true)
  queue.add(0, '2', 'unmatched')
  assert.equal(queue.room(), false)
  const changed = queue.changed()
  queue.take()
  await changed
  assert.equal(queue.room(), true)
})
