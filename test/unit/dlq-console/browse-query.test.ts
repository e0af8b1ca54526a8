import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BrowseMode, parseBrowseQuery } from '../../../services/dlq-console/src/browse/browse-query.ts'

test('the browse query picks its mode from offset, timestamp or key, with defaults for the bounds', () => {
  assert.deepEqual(parseBrowseQuery({}), { mode: BrowseMode.latest, window: 1_000, limit: 50 })
  assert.equal(parseBrowseQuery({ partition: '1', offset: '7' }).mode, BrowseMode.offset)
  assert.equal(
    parseBrowseQuery({ timestamp: '2026-12-04T10:00:00Z' }).timestamp,
    Date.parse('2026-12-04T10:00:00Z'),
  )
  assert.equal(parseBrowseQuery({ timestamp: '1700000000000' }).timestamp, 1_700_000_000_000)
  const byKey = parseBrowseQuery({ key: 'order-1', scan: '200', where: 'amount>=10', q: 'ABC' })
  assert.deepEqual(byKey, {
    mode: BrowseMode.key,
    key: 'order-1',
    window: 200,
    limit: 50,
    where: { path: 'amount', op: 'gte', value: 10 },
    text: 'abc',
  })
})

test('a bad browse query names the parameter', () => {
  assert.throws(() => parseBrowseQuery({ limit: '0' }), /^BrowseQueryError: limit needs/)
  assert.throws(() => parseBrowseQuery({ limit: ['1', '2'] }), /limit may be given once/)
  assert.throws(() => parseBrowseQuery({ offset: '3' }), /partition is needed with offset/)
  assert.throws(() => parseBrowseQuery({ key: 'a', timestamp: '1' }), /alternatives/)
  assert.throws(() => parseBrowseQuery({ where: 'no predicate' }), /^BrowseQueryError: where cannot read/)
  assert.throws(() => parseBrowseQuery({ nope: '1' }), /nope is not a parameter/)
})
