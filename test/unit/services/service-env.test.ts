import assert from 'node:assert/strict'
import { test } from 'node:test'
import { envDurationList, envDurationMs, envInt } from '#libs/service'

test('durations accept milliseconds and s, m, h units', () => {
  assert.equal(envDurationMs({ X: '250' }, 'X', 1), 250)
  assert.equal(envDurationMs({ X: '2s' }, 'X', 1), 2_000)
  assert.equal(envDurationMs({ X: '1m' }, 'X', 1), 60_000)
  assert.equal(envDurationMs({}, 'X', 7), 7)
  assert.deepEqual(envDurationList({ X: '1s, 5s' }, 'X', [9]), [1_000, 5_000])
  assert.deepEqual(envDurationList({ X: '' }, 'X', [9]), [])
})

test('a bad value names the variable and what it expects', () => {
  assert.throws(
    () => envInt({ SERVICE_PORT: 'abc' }, 'SERVICE_PORT', 0, { max: 65_535 }),
    /SERVICE_PORT needs to be a whole number from 0 to 65535, got "abc"/,
  )
  assert.throws(() => envDurationMs({ W: '5 minutes' }, 'W', 0), /W needs to be a duration/)
  assert.throws(() => envDurationList({ T: '5s,soon' }, 'T', []), /T needs comma-separated durations/)
})
