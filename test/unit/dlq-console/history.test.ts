import assert from 'node:assert/strict'
import { test } from 'node:test'
import { History, historyCapacity } from '../../../services/dlq-console/src/history.ts'

test('the history keeps the last capacity samples per key, oldest first', () => {
  const history = new History<number>(3)
  for (let i = 1; i <= 5; i++) history.add('g', i * 1_000, i)
  history.add('h', 9_000, 9)
  assert.deepEqual(
    history.get('g').map((s) => s.value),
    [3, 4, 5],
  )
  assert.deepEqual(history.get('h'), [{ at: 9_000, value: 9 }])
  assert.deepEqual(history.get('nobody'), [])
})

test('keys that disappear lose their history', () => {
  const history = new History<number>(2)
  history.add('g', 1, 1)
  history.add('h', 1, 1)
  history.retain(['h'])
  assert.deepEqual(history.keys(), ['h'])
  history.delete('h')
  assert.deepEqual(history.keys(), [])
})

test('the capacity is the window over the interval, at least 2 and at most 2 880', () => {
  assert.equal(historyCapacity(3_600_000, 15_000), 240)
  assert.equal(historyCapacity(1_000, 15_000), 2)
  assert.equal(historyCapacity(86_400_000, 1_000), 2_880)
  assert.equal(historyCapacity(3_600_000, 0), 2)
  assert.throws(() => new History(0), RangeError)
})
