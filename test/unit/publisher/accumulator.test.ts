import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { RecordAccumulator } from '../../../libs/publisher/src/accumulator.ts'

const limits = { maxBatchRecords: 3, maxBatchBytes: 100, maxBufferedRecords: 5, maxBufferedBytes: 200 }
const record = (size: number) => ({ size })

test('a batch is ready when full by records, by bytes, after the linger, or when forced', () => {
  const byRecords = new RecordAccumulator(limits)
  for (let i = 0; i < 3; i++) byRecords.append(record(1), 0)
  assert.equal(byRecords.isReady(0, 5, false), true)

  const byBytes = new RecordAccumulator(limits)
  byBytes.append(record(100), 0)
  assert.equal(byBytes.isReady(0, 5, false), true)

  const lingering = new RecordAccumulator(limits)
  lingering.append(record(1), 10)
  assert.equal(lingering.isReady(14, 5, false), false)
  assert.equal(lingering.readyAt(5), 15)
  assert.equal(lingering.isReady(15, 5, false), true)
  assert.equal(lingering.isReady(10, 5, true), true)

  assert.equal(new RecordAccumulator(limits).isReady(100, 0, true), false, 'nothing to send')
})

test('drain takes from the front within the batch limits and never returns an empty batch', () => {
  const accumulator = new RecordAccumulator({ ...limits, maxBufferedBytes: 1000 })
  const sizes = [60, 30, 20, 5]
  const records = sizes.map(record)
  for (const r of records) accumulator.append(r, 0)
  assert.deepEqual(accumulator.drain(), [records[0], records[1]], '60 + 30 fit, + 20 would not')
  assert.deepEqual(accumulator.drain(), [records[2], records[3]])
  assert.equal(accumulator.queuedRecords, 0)

  const oversized = new RecordAccumulator({ ...limits, maxBufferedBytes: 1000 })
  const big = record(150)
  oversized.append(big, 0)
  assert.deepEqual(oversized.drain(), [big], 'a record larger than a batch still goes alone')
})

test('memory counts records until release, and append refuses to pass the bound', () => {
  const accumulator = new RecordAccumulator(limits)
  assert.equal(accumulator.hasRoomFor(201), false)
  for (let i = 0; i < 5; i++) accumulator.append(record(10), 0)
  assert.equal(accumulator.hasRoomFor(1), false, 'maxBufferedRecords reached')
  assert.throws(() => accumulator.append(record(1), 0), RangeError)
  const batch = accumulator.drain()
  assert.equal(accumulator.bufferedRecords, 5, 'in flight still holds memory')
  accumulator.release(batch)
  assert.equal(accumulator.bufferedRecords, 2)
  assert.equal(accumulator.bufferedBytes, 20)
  assert.equal(accumulator.maxBufferedRecordsSeen, 5)
  assert.equal(accumulator.maxBufferedBytesSeen, 50)
})

test('whatever is appended and drained, records leave in order and the bound always holds', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constant('drain'), fc.constant('ack')), {
        maxLength: 200,
      }),
      (steps) => {
        const accumulator = new RecordAccumulator<{ size: number; n: number }>(limits)
        const inFlight: Array<Array<{ size: number; n: number }>> = []
        const sent: number[] = []
        let n = 0
        for (const step of steps) {
          if (step === 'drain') {
            if (accumulator.queuedRecords > 0) {
              const batch = accumulator.drain()
              assert.ok(batch.length >= 1 && batch.length <= limits.maxBatchRecords)
              const bytes = batch.reduce((sum, r) => sum + r.size, 0)
              assert.ok(batch.length === 1 || bytes <= limits.maxBatchBytes)
              sent.push(...batch.map((r) => r.n))
              inFlight.push(batch)
            }
          } else if (step === 'ack') {
            const batch = inFlight.shift()
            if (batch) accumulator.release(batch)
          } else if (accumulator.hasRoomFor(step)) {
            accumulator.append({ size: step, n: n++ }, 0)
          }
          assert.ok(accumulator.bufferedRecords <= limits.maxBufferedRecords)
          assert.ok(accumulator.bufferedBytes <= limits.maxBufferedBytes)
        }
        assert.deepEqual(
          sent,
          sent.map((_, i) => i),
        )
      },
    ),
  )
})
