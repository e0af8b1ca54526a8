import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AvroDecodeError, NonRetriableError, RegistryUnavailableError } from '@event-backbone/errors'
import { backoffDelay, classify, nonRetriable, Verdict } from '#libs/consumer'

test('undecodable records and declared non-retriable errors are dead-lettered at once', () => {
  assert.equal(classify(new AvroDecodeError()), Verdict.deadLetter)
  assert.equal(classify(new NonRetriableError('no')), Verdict.deadLetter)
  assert.equal(classify(nonRetriable(new Error('no'))), Verdict.deadLetter)
})

test('programming errors skip in-process retries and go to the next tier', () => {
  for (const error of [
    new TypeError('x'),
    new RangeError('x'),
    new ReferenceError('x'),
    new SyntaxError('x'),
  ]) {
    assert.equal(classify(error), Verdict.nextTier)
  }
})

test('other errors, including an unavailable registry, are retried', () => {
  assert.equal(classify(new RegistryUnavailableError()), Verdict.retry)
  assert.equal(classify(new Error('timeout')), Verdict.retry)
  assert.equal(classify('a thrown string'), Verdict.retry)
})

test('back-off grows exponentially, stays within its jitter and never exceeds the cap', () => {
  const policy = { attempts: 5, initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000, jitter: 0.2 }
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => backoffDelay({ ...policy, jitter: 0 }, n)),
    [100, 200, 400, 800, 1_000],
  )
  assert.equal(
    backoffDelay(policy, 2, () => 0),
    160,
  )
  assert.equal(
    backoffDelay(policy, 2, () => 1),
    240,
  )
  assert.equal(
    backoffDelay(policy, 10, () => 1),
    1_000,
  )
})
