import assert from 'node:assert/strict'
import { test } from 'node:test'
import { retryDelay } from '#libs/consumer'

const policy = { attempts: 3, initialDelayMs: 100, multiplier: 2, maxDelayMs: 5_000, jitter: 0 }

test('an error with retryAfterMs longer than the back-off makes the in-process delay that long', () => {
  assert.equal(retryDelay(policy, 1, Object.assign(new Error('503'), { retryAfterMs: 1_500 })), 1_500)
})

test('retryAfterMs is capped at maxDelay, and a shorter one leaves the back-off as it is', () => {
  assert.equal(retryDelay(policy, 1, Object.assign(new Error('503'), { retryAfterMs: 3_600_000 })), 5_000)
  assert.equal(retryDelay(policy, 2, Object.assign(new Error('503'), { retryAfterMs: 10 })), 200)
  assert.equal(retryDelay(policy, 2, new Error('plain')), 200)
  assert.equal(retryDelay(policy, 2, Object.assign(new Error('x'), { retryAfterMs: 'soon' })), 200)
})
