import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseRate, RateLimiter } from '#libs/service'

test('parseRate reads a count per second, minute or hour with an optional burst', () => {
  assert.deepEqual(parseRate('100/s'), { perSecond: 100, burst: 100 })
  assert.deepEqual(parseRate('600/m burst 50'), { perSecond: 10, burst: 50 })
  assert.deepEqual(parseRate(' 36/h '), { perSecond: 0.01, burst: 36 })
  for (const bad of ['', 'off', '100', '0/s', '10/d', '10/s burst', '10/s burst 0', '-1/s']) {
    assert.equal(parseRate(bad), undefined, bad)
  }
})

test('a bucket grants its burst, refuses with the seconds until the next token, and refills with time', () => {
  let now = 0
  const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, { now: () => now })
  for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take('a'), { ok: true })
  assert.deepEqual(limiter.take('a'), { ok: false, retryAfterSeconds: 1 })
  assert.deepEqual(limiter.take('b'), { ok: true }, 'another id has its own bucket')
  now += 500
  assert.deepEqual(limiter.take('a'), { ok: true })
  assert.equal(limiter.take('a').ok, false)
})

test('check does not spend a token and a refusal spends nothing', () => {
  let now = 0
  const limiter = new RateLimiter({ perSecond: 0.1, burst: 1 }, { now: () => now })
  assert.deepEqual(limiter.check('a'), { ok: true })
  assert.deepEqual(limiter.take('a'), { ok: true })
  assert.deepEqual(limiter.check('a'), { ok: false, retryAfterSeconds: 10 })
  now += 9_000
  assert.deepEqual(limiter.take('a'), { ok: false, retryAfterSeconds: 1 })
  now += 1_000
  assert.deepEqual(limiter.take('a'), { ok: true })
})

test('the number of tracked ids is bounded: full buckets are dropped, the rest share an overflow bucket', () => {
  let now = 0
  const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, { now: () => now, maxIds: 2 })
  limiter.take('a')
  limiter.take('b')
  assert.deepEqual(limiter.take('c'), { ok: true }, 'c goes to the overflow bucket')
  assert.equal(limiter.take('d').ok, false, 'd shares the spent overflow bucket')
  now += 5_000
  assert.deepEqual(limiter.take('e'), { ok: true })
  assert.ok(limiter.size <= 2)
})
