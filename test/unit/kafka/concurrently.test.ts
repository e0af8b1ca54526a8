import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { forEachConcurrently } from '#libs/kafka'

test('forEachConcurrently does every item once, never more than the limit at a time', async () => {
  let running = 0
  let most = 0
  const done: number[] = []
  await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
    running++
    most = Math.max(most, running)
    await delay(item % 3)
    done.push(item)
    running--
  })
  assert.deepEqual(
    done.sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7],
  )
  assert.equal(most, 3)
  await forEachConcurrently([], 3, async () => assert.fail('no items, no work'))
})

test('forEachConcurrently rejects with the first error thrown', async () => {
  await assert.rejects(
    forEachConcurrently([1, 2, 3], 2, async (item) => {
      if (item === 2) throw new Error('item 2 failed')
    }),
    /item 2 failed/,
  )
})
