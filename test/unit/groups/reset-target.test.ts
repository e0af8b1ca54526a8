import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ResetTargetError } from '@event-backbone/errors'
import { describeTarget, parseResetTarget } from '#libs/groups'

test('parses each reset target', () => {
  assert.deepEqual(parseResetTarget({ toEarliest: true }), { kind: 'earliest' })
  assert.deepEqual(parseResetTarget({ toLatest: true }), { kind: 'latest' })
  assert.deepEqual(parseResetTarget({ toDatetime: '2026-12-04T10:00:00Z' }), {
    kind: 'datetime',
    at: new Date('2026-12-04T10:00:00Z'),
  })
  assert.deepEqual(parseResetTarget({ byDuration: '2h' }), { kind: 'duration', agoMs: 7_200_000 })
  assert.deepEqual(parseResetTarget({ byDuration: '7d' }), { kind: 'duration', agoMs: 604_800_000 })
  assert.deepEqual(parseResetTarget({ toOffset: '42' }), { kind: 'offset', offset: 42n })
  assert.equal(describeTarget({ kind: 'offset', offset: 42n }), 'offset 42')
})

test('refuses no target, two targets and values that do not parse, naming what is wrong', () => {
  assert.throws(
    () => parseResetTarget({}),
    (error: Error) => error instanceof ResetTargetError && /got none/.test(error.message),
  )
  assert.throws(() => parseResetTarget({ toEarliest: true, toOffset: '3' }), /got to-earliest, to-offset/)
  assert.throws(() => parseResetTarget({ toDatetime: 'yesterday' }), /ISO 8601 datetime/)
  assert.throws(() => parseResetTarget({ byDuration: '2 hours' }), /30m, 2h or 7d/)
  assert.throws(() => parseResetTarget({ toOffset: '-1' }), /whole number >= 0/)
})
