import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SettlementTracker } from '../../../libs/publisher/src/settlement.ts'

test('whenSettled waits for the publishes opened before it, in whatever order they settle', async () => {
  const tracker = new SettlementTracker()
  const [a, b] = [tracker.open(), tracker.open()]
  let done = false
  const settled = tracker.whenSettled().then(() => {
    done = true
  })
  assert.equal(tracker.awaited, true)
  tracker.settle(b)
  await Promise.resolve()
  assert.equal(done, false)
  tracker.settle(a)
  await settled
  assert.equal(tracker.awaited, false)
})

test('publishes opened after the call do not hold it back', async () => {
  const tracker = new SettlementTracker()
  const a = tracker.open()
  const settled = tracker.whenSettled()
  tracker.open()
  tracker.settle(a)
  await settled
  assert.equal(tracker.unsettled, 1)
})

test('with nothing unsettled it resolves at once, and settling twice is harmless', async () => {
  const tracker = new SettlementTracker()
  await tracker.whenSettled()
  const a = tracker.open()
  tracker.settle(a)
  tracker.settle(a)
  assert.equal(tracker.unsettled, 0)
})
