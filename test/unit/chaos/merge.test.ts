import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mergeResults } from '../../../chaos/lib/merge.ts'

interface Result {
  readonly name: string
  readonly value: number
  readonly at?: string
}

test('a named run replaces only the results it covered; the others stay, marked, in name order', () => {
  const previous: Result[] = [
    { name: 'http-fuzz', value: 1 },
    { name: 'broker-failover', value: 2, at: 'earlier' },
    { name: 'serde', value: 3 },
  ]
  const latest: Result[] = [{ name: 'broker-failover', value: 20, at: 'now' }]
  const merged = mergeResults(
    previous,
    latest,
    ['broker-failover', 'scale-out-in'],
    (result) => result.name,
    (result) => ({ ...result, at: result.at ?? 'the last full run' }),
  )
  assert.deepEqual(merged, [
    { name: 'broker-failover', value: 20, at: 'now' },
    { name: 'http-fuzz', value: 1, at: 'the last full run' },
    { name: 'serde', value: 3, at: 'the last full run' },
  ])
  // A scenario covered but without a result this time (it was removed) is dropped, not kept stale.
  assert.ok(!merged.some((result) => result.name === 'scale-out-in'))
})
