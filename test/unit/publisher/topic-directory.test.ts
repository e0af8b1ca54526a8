import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TopicDirectory } from '../../../libs/publisher/src/topic-directory.ts'

test('concurrent look-ups share one listing and known topics need none', async () => {
  let listings = 0
  const directory = new TopicDirectory(async () => {
    listings++
    return ['a', 'b']
  })
  assert.deepEqual(await Promise.all([directory.exists('a'), directory.exists('b'), directory.exists('c')]), [
    true,
    true,
    false,
  ])
  assert.equal(listings, 1)
  assert.equal(directory.isKnown('a'), true)
  assert.equal(await directory.exists('a'), true)
  assert.equal(listings, 1)
})

test('an absent topic is looked up again later, since it may have been created', async () => {
  let topics = ['a']
  const directory = new TopicDirectory(async () => topics)
  assert.equal(await directory.exists('b'), false)
  topics = ['a', 'b']
  assert.equal(await directory.exists('b'), true)
})

test('a failed listing fails the look-up and the next one tries again', async () => {
  let fail = true
  const directory = new TopicDirectory(async () => {
    if (fail) throw new Error('broker down')
    return ['a']
  })
  await assert.rejects(directory.exists('a'), /broker down/)
  fail = false
  assert.equal(await directory.exists('a'), true)
})
